// Leak 4: a ticker that is never stopped.
//
// time.NewTicker starts a runtime timer that fires every period until Stop. A function that
// makes a ticker for a polling loop and returns without stopping it leaves the timer running
// for the rest of the program (the channel and everything it holds stay alive), as in Go before
// 1.23; time.Tick in a loop makes a new one each time round.
// Look at: a forgotten ticker keeps ticking after its function returned; the stopped one does
// not. A pending timer also hides deadlocks: while it runs, the runtime cannot say that every
// goroutine is asleep for good.
// The fix: Ticker t = Go.newTicker(d); try { ... } finally { t.stop(); } (Go: defer t.Stop()).
//
//   ./gort run programs/leak-ticker.java
import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Select;
import org.gort.api.Ticker;

class LeakTicker {
    /** Polls three times, then returns the ticker it used (to look at it afterwards). */
    static Ticker poll(boolean stop) {
        Ticker t = Go.newTicker(Duration.ofMillis(5));
        try {
            for (int i = 0; i < 3; i++) {
                t.c().recv();
            }
        } finally {
            if (stop) {
                t.stop();
            }
        }
        return t;
    }

    /** Whether a tick arrives on {@code c} within 300 ms (60 periods). */
    static boolean ticks(Chan<Long> c) {
        Select.create().recv(c, (v, ok) -> { }).orDefault(() -> { }).run(); // drop a tick already waiting
        boolean[] got = new boolean[1];
        Select.create()
                .recv(c, (v, ok) -> got[0] = true)
                .recv(Go.after(Duration.ofMillis(300)), (v, ok) -> { })
                .run();
        return got[0];
    }

    public static void main(String[] args) {
        Ticker forgotten = poll(false);
        Ticker stopped = poll(true);
        Go.sleep(Duration.ofMillis(20));
        System.out.println("stopped ticker still ticks: " + ticks(stopped.c()));
        System.out.println("forgotten ticker still ticks: " + ticks(forgotten.c()));
    }
}
// Output:
// stopped ticker still ticks: false
// forgotten ticker still ticks: true
