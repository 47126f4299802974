// A goroutine leak fixed by a Context: cancel tells the workers to stop.
//
// A generator goroutine produces numbers until its consumer has enough. Without a way to say
// "stop", the generator would block for ever on its next send once the consumer leaves (leak 1).
// With a Context, the consumer's cancel() closes ctx.done(), and the generator's select sees it
// and returns. withTimeout does the same when time runs out: err() is then DeadlineExceeded.
// Look at: NumGoroutine after each part, and ctx.err() in each case.
//
//   ./gort run programs/context-cancel.java
import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Context;
import org.gort.api.Go;
import org.gort.api.Select;

class ContextCancel {
    /** Sends 1, 2, 3, ... on the returned channel until ctx is done. */
    static Chan<Integer> generate(Context ctx) {
        Chan<Integer> out = Chan.make();
        Go.go(() -> {
            boolean[] stop = new boolean[1];
            for (int n = 1; !stop[0]; n++) {
                Select.create()
                        .send(out, n, () -> { })
                        .recv(ctx.done(), (v, ok) -> stop[0] = true) // case <-ctx.Done(): return
                        .run();
            }
        });
        return out;
    }

    /** NumGoroutine once the generator had time to see ctx.done() and return (at most 5 s). */
    static int settled() {
        for (int i = 0; i < 500 && Go.numGoroutine() > 1; i++) {
            Go.sleep(Duration.ofMillis(10));
        }
        return Go.numGoroutine();
    }

    public static void main(String[] args) {
        Context.Cancelable ctx = Context.withCancel(Context.background());
        Chan<Integer> numbers = generate(ctx);
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += numbers.recv();
        }
        ctx.cancel(); // the consumer has enough: the generator returns
        System.out.println("sum " + sum + ", err " + ctx.err() + ", goroutines " + settled());

        try (Context.Cancelable timed = Context.withTimeout(Context.background(), Duration.ofMillis(30))) {
            Chan<Integer> slow = generate(timed);
            // The deadline may pass before the first number arrives (a slow or loaded machine):
            // then the generator has returned, and a bare slow.recv() would wait for ever.
            Select.create()
                    .recv(slow, (v, ok) -> { })          // case <-slow:
                    .recv(timed.done(), (v, ok) -> { })  // case <-ctx.Done():
                    .run();
            timed.done().recv(); // nobody cancels: the deadline does
            System.out.println("err " + timed.err() + ", goroutines " + settled());
        }
    }
}
// Output:
// sum 15, err context canceled, goroutines 1
// err context deadline exceeded, goroutines 1
