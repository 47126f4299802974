// select with time.After: give up on a slow answer.
//
// Each request races its answer against a timer channel in one select. A fast answer wins; a
// slow one loses to the timer, and the answer's goroutine still finishes: its channel has a
// buffer of one, so the late send does not block (without the buffer it would leak, see
// leak-send.java).
// Look at: the select's two cases; Select.create().recv(...).recv(...).run() is Go's select.
//
//   ./gort run programs/select-timeout.java
import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Select;

class SelectTimeout {
    static String fetch(String what, long millis) {
        Chan<String> answer = Chan.make(1);
        Go.go(() -> {
            Go.sleep(Duration.ofMillis(millis));
            answer.send(what + " done");
        });
        String[] result = new String[1];
        Select.create()
                .recv(answer, (v, ok) -> result[0] = v)
                .recv(Go.after(Duration.ofMillis(500)), (t, ok) -> result[0] = what + " timed out")
                .run();
        return result[0];
    }

    public static void main(String[] args) {
        System.out.println(fetch("fast", 0));
        System.out.println(fetch("slow", 5000));
    }
}
// Output:
// fast done
// slow timed out
