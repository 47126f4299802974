// runtime.LockOSThread: a goroutine wired to one thread, which runs nothing else.
//
// Goroutines move between threads (Ms) freely. LockOSThread pins the calling goroutine to the
// thread it runs on, for code that keeps state on its thread (a ThreadLocal, a native library
// that must always be called from the same thread, a GUI main loop). While the goroutine
// waits, its thread hands its P to another thread and sleeps, so the other goroutines go on;
// when it is runnable again, whichever thread the scheduler gives it hands the P back
// (Go's startlockedm/stoplockedm). A goroutine that exits still locked ends its thread.
// Look at: the locked goroutine sees one thread id across every wait, an unlocked one sees
// several (stderr); --scheddetail shows lockedg= on the M and lockedm= on the G.
//
//   ./gort run programs/lock-os-thread.java --gomaxprocs 2 --scheddetail 50
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.WaitGroup;

class LockOsThread {
    public static void main(String[] args) {
        Chan<Integer> ping = Chan.make();
        Go.go(() -> { // a partner to block on
            for (Integer v; (v = ping.recv()) != null; ) {
            }
        });
        Set<Long> lockedSaw = ConcurrentHashMap.newKeySet();
        Set<Long> freeSaw = ConcurrentHashMap.newKeySet();
        long[] lockedTid = new long[1];
        Chan<Boolean> isLocked = Chan.make();
        Chan<Boolean> freeDone = Chan.make(); // the locked goroutine stays locked until the other is done
        WaitGroup wg = new WaitGroup();
        wg.add(2);
        Go.go(() -> {
            Go.lockOSThread();
            try {
                lockedTid[0] = Go.gettid();
                isLocked.close();
                waitInEveryWay(ping, lockedSaw);
                freeDone.recv();
            } finally {
                Go.unlockOSThread(); // Go: defer runtime.UnlockOSThread()
                wg.done();
            }
        });
        isLocked.recv();
        Go.go(() -> {
            waitInEveryWay(ping, freeSaw);
            freeDone.close();
            wg.done();
        });
        wg.await();
        System.out.println("locked goroutine: " + lockedSaw.size() + " thread across 150 waits");
        System.out.println("its thread ran the unlocked goroutine: " + freeSaw.contains(lockedTid[0]));
        System.err.println("unlocked goroutine: " + freeSaw.size() + " threads across 150 waits");

        Chan<Long> tid = Chan.make();
        Go.go(() -> {
            Go.lockOSThread();
            tid.send(Go.gettid());
        }); // returns locked: Go terminates the thread
        long t = tid.recv();
        for (int i = 0; i < 5000 && alive(t); i++) {
            Go.sleep(Duration.ofMillis(1));
        }
        System.out.println("the thread of a goroutine that exited locked has ended: " + !alive(t));
        ping.close();
    }

    static void waitInEveryWay(Chan<Integer> ping, Set<Long> saw) {
        for (int i = 0; i < 50; i++) {
            ping.send(i);                 // a channel wait
            saw.add(Go.gettid());
            Go.sleep(Duration.ofMillis(1)); // a timer wait
            saw.add(Go.gettid());
            Go.gosched();                 // a yield
            saw.add(Go.gettid());
        }
    }

    static boolean alive(long tid) {
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.threadId() == tid) {
                return true;
            }
        }
        return false;
    }
}
// Output:
// locked goroutine: 1 thread across 150 waits
// its thread ran the unlocked goroutine: false
// the thread of a goroutine that exited locked has ended: true
