// time.Timer: stop a timer before it fires, and wait for one that does.
//
// NewTimer delivers the time on its channel once. Stop returns true if it stopped the timer in
// time (nothing will be sent), false if it had already fired (the value waits in the channel's
// buffer of one).
// Look at: the two results of Stop.
//
//   ./gort run programs/timer-stop.java
import java.time.Duration;
import org.gort.api.Go;
import org.gort.api.Timer;

class TimerStop {
    public static void main(String[] args) {
        Timer slow = Go.newTimer(Duration.ofSeconds(10));
        System.out.println("stopped the 10 s timer in time: " + slow.stop());
        Timer fast = Go.newTimer(Duration.ofMillis(5));
        long fired = fast.c().recv();
        System.out.println("the 5 ms timer fired: " + (fired > 0));
        System.out.println("stopped it afterwards: " + fast.stop());
    }
}
// Output:
// stopped the 10 s timer in time: true
// the 5 ms timer fired: true
// stopped it afterwards: false
