// A panic in a goroutine, and recover.
//
// A panic unwinds its goroutine's stack running deferred calls; recover in a deferred function
// stops it. In Java, defer is try/finally and recover is catch (GoPanic p). A goroutine that
// recovers reports the error and ends normally; main goes on.
// Look at: panics raised by the runtime itself (send on a closed channel) are GoPanics too,
// with Go's messages. Without the catch the whole program would end: see panic-crash.java.
//
//   ./gort run programs/panic-recover.java
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.GoPanic;

class PanicRecover {
    static void safely(String name, Runnable work, Chan<String> report) {
        Go.go(() -> {
            try {
                work.run();
                report.send(name + ": ok");
            } catch (GoPanic p) { // recover()
                report.send(name + ": recovered: " + p.value());
            }
        });
    }

    public static void main(String[] args) {
        Chan<String> report = Chan.make();
        safely("divide", () -> Go.panic("division by zero"), report);
        System.out.println(report.recv());
        safely("closed", () -> {
            Chan<Integer> c = Chan.make(1);
            c.close();
            c.send(1); // panics: send on closed channel
        }, report);
        System.out.println(report.recv());
        safely("fine", () -> { }, report);
        System.out.println(report.recv());
    }
}
// Output:
// divide: recovered: division by zero
// closed: recovered: send on closed channel
// fine: ok
