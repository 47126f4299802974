// Deadlock: main sends on an unbuffered channel that has no receiver.
//
// An unbuffered send waits for a receiver. Main is the only goroutine, so nothing can ever
// receive: every goroutine is asleep, and the runtime says so at once, as Go's does:
// "fatal error: all goroutines are asleep - deadlock!" with each goroutine and why it waits,
// and the program exits with status 2.
// Look at: the message, `echo $?` (2), and that it comes within a second, under either scheduler.
// Exit status: 2
//
//   ./gort run programs/deadlock-main-send.java; echo $?
import org.gort.api.Chan;

class DeadlockMainSend {
    public static void main(String[] args) {
        Chan<String> c = Chan.make();
        System.out.println("sending...");
        c.send("hello"); // blocks for ever: no receiver
        System.out.println("never printed");
    }
}
// Output:
// sending...
