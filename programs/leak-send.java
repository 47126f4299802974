// Leak 1: a goroutine blocks for ever sending on a channel nobody receives from.
//
// The search asks three replicas and returns as soon as the first answer arrives; the two slower
// goroutines then try to send on an unbuffered channel that no one will ever read again. They are parked in "chan send"
// for the rest of the program: leaked. Nothing fails; the count of goroutines shows it.
// Look at: NumGoroutine before and after, and that main returning ends the run anyway (in a Go
// server the leaked goroutines would live as long as the process, one pair per request).
// The fix: make(chan string, 3), a buffer as large as the number of senders.
//
//   ./gort run programs/leak-send.java
import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;

class LeakSend {
    static String first(Chan<String> results) {
        for (String replica : new String[] {"a", "b", "c"}) {
            Go.go(() -> {
                Go.sleep(Duration.ofMillis(replica.equals("a") ? 1 : 20));
                results.send("42"); // the two that lose the race block here for ever
            });
        }
        return results.recv();
    }

    public static void main(String[] args) {
        System.out.println("goroutines at start: " + Go.numGoroutine());
        Chan<String> results = Chan.make(); // unbuffered: the leak
        System.out.println("first answer: " + first(results));
        Go.sleep(Duration.ofMillis(100)); // long enough for b and c to block
        System.out.println("goroutines at the end: " + Go.numGoroutine() + " (2 leaked, parked in chan send)");
    }
}
// Output:
// goroutines at start: 1
// first answer: 42
// goroutines at the end: 3 (2 leaked, parked in chan send)
