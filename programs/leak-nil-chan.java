// Leak 3: goroutines block for ever on a nil channel.
//
// A channel variable that was declared but never made is nil (var results chan int). A send on
// a nil channel, or a receive from one, blocks for ever; nothing can ever wake it, not even
// close (close of a nil channel panics). Here the results channel is made only when a flag is
// set, and the workers are started either way: they leak in "chan send (nil chan)".
// Look at: NumGoroutine at the end, and in a select a nil channel's case is simply never ready
// (the idiom for switching a case off: see Go's "nil channels in select").
// The fix: make the channel before starting the goroutines that use it.
//
//   ./gort run programs/leak-nil-chan.java
import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Select;

class LeakNilChan {
    public static void main(String[] args) {
        boolean collect = args.length > 0 && args[0].equals("collect");
        Chan<Integer> results = collect ? Chan.make(2) : Chan.nil(); // the bug: nil unless collecting
        for (int i = 1; i <= 2; i++) {
            int n = i;
            Go.go(() -> results.send(n * 10)); // blocks for ever on a nil channel
        }
        Go.sleep(Duration.ofMillis(20));
        int chosen = Select.create()
                .recv(results, (v, ok) -> System.out.println("got " + v))
                .orDefault(() -> System.out.println("select: the nil channel's case is never ready"))
                .run();
        System.out.println("goroutines: " + Go.numGoroutine() + " (2 leaked in chan send on a nil channel)");
    }
}
// Output:
// select: the nil channel's case is never ready
// goroutines: 3 (2 leaked in chan send on a nil channel)
