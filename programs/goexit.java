// runtime.Goexit: end a goroutine from deep inside, running its deferred calls.
//
// Goexit ends the calling goroutine at once, wherever it is, but it is not a panic: every
// deferred call (in Java, every finally block) still runs, and recover (catch GoPanic) does not
// see it. testing.T.FailNow is built on it. Called from main, main ends but the program waits
// for the other goroutines, then dies with "no goroutines (main called runtime.Goexit)".
// Look at: the order of the lines, and that "after validate" is never printed.
//
//   ./gort run programs/goexit.java
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.GoPanic;

class Goexit {
    static void validate(int n) {
        if (n < 0) {
            System.out.println("validate: negative, calling Goexit");
            throw Go.goexit(); // never returns
        }
    }

    public static void main(String[] args) {
        Chan<String> done = Chan.make();
        Go.go(() -> {
            try {
                try {
                    validate(-1);
                    System.out.println("after validate");
                } catch (GoPanic p) {
                    System.out.println("recovered? never: Goexit is not a panic");
                }
            } finally {
                System.out.println("deferred: runs anyway");
                done.send("worker ended");
            }
        });
        System.out.println(done.recv());
    }
}
// Output:
// validate: negative, calling Goexit
// deferred: runs anyway
// worker ended
