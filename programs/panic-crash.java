// An unrecovered panic in any goroutine ends the whole program with status 2.
//
// Go does not confine a panic to its goroutine: if nothing recovers it, the program prints
// "panic: <value>" and the panicking goroutine's stack, and exits with status 2, whatever the
// other goroutines were doing.
// Look at: stderr (panic: index out of range ... and "goroutine N [running]"), and echo $?.
// Exit status: 2
//
//   ./gort run programs/panic-crash.java; echo $?
import java.time.Duration;
import org.gort.api.Go;

class PanicCrash {
    public static void main(String[] args) {
        Go.go(() -> {
            int[] table = new int[3];
            int i = 3;
            System.out.println("worker: reading table[" + i + "]");
            System.out.println(table[i]); // an uncaught exception is a panic
        });
        Go.sleep(Duration.ofSeconds(5));
        System.out.println("never printed: the panic ended the program");
    }
}
// Output:
// worker: reading table[3]
