// sync.Once: many goroutines ask for a value, it is made exactly once.
//
// Once.run(f) runs f the first time only; callers that arrive while f runs wait for it, so
// every caller sees the initialized value. The classic use is lazy, concurrent-safe setup.
// Look at: "loading config" appears once although eight goroutines race for it.
//
//   ./gort run programs/once.java
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Go;
import org.gort.api.Once;
import org.gort.api.WaitGroup;

class OnceDemo {
    static final Once once = new Once();
    static volatile String config;

    static String config() {
        once.run(() -> {
            System.out.println("loading config");
            Go.sleep(Duration.ofMillis(10)); // slow setup: the others wait for it
            config = "port=8080";
        });
        return config;
    }

    public static void main(String[] args) {
        WaitGroup wg = new WaitGroup();
        AtomicInteger seen = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            wg.add(1);
            Go.go(() -> {
                if (config().equals("port=8080")) {
                    seen.incrementAndGet();
                }
                wg.done();
            });
        }
        wg.await();
        System.out.println(seen.get() + " goroutines saw " + config());
    }
}
// Output:
// loading config
// 8 goroutines saw port=8080
