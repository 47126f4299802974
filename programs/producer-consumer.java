// Producer and consumer decoupled by a buffered channel.
//
// The producer runs ahead of the consumer by at most the buffer's capacity, then blocks in
// "chan send" until the consumer takes one. Closing the channel tells the consumer there is no
// more; a receive on a closed, drained channel returns ok=false (recv2 is Go's v, ok := <-c).
// Look at: len(c) as the producer fills the buffer; with an unbuffered channel (capacity 0)
// every item is a rendezvous.
//
//   ./gort run programs/producer-consumer.java [capacity]
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Recv;

class ProducerConsumer {
    public static void main(String[] args) {
        int capacity = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Chan<Integer> items = Chan.make(capacity);
        Chan<Boolean> done = Chan.make();
        Go.go(() -> {
            int sum = 0;
            while (true) {
                Recv<Integer> r = items.recv2();
                if (!r.ok()) {
                    break;
                }
                sum += r.value();
            }
            System.out.println("consumer: sum " + sum);
            done.send(true);
        });
        for (int i = 1; i <= 10; i++) {
            items.send(i);
        }
        System.out.println("producer: sent 10, buffer holds at most " + items.cap());
        items.close();
        done.recv();
    }
}
// Output:
// producer: sent 10, buffer holds at most 3
// consumer: sum 55
