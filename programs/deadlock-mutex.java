// Deadlock: a goroutine locks a sync.Mutex it already holds.
//
// Go's Mutex is not reentrant. A method that holds the lock calls another that locks it again;
// the second lock waits for the first to be released, which only the waiting goroutine could
// do. Alone in the program, it is a deadlock the runtime detects.
// Look at: the goroutine's wait reason in the message (sync.Mutex.Lock).
// Exit status: 2
//
//   ./gort run programs/deadlock-mutex.java
import org.gort.api.Mutex;

class DeadlockMutex {
    static final Mutex mu = new Mutex();
    static int balance = 100;

    static int balance() {
        mu.lock();
        try {
            return balance;
        } finally {
            mu.unlock();
        }
    }

    static void withdraw(int n) {
        mu.lock();
        try {
            if (balance() >= n) { // locks mu again: deadlock
                balance -= n;
            }
        } finally {
            mu.unlock();
        }
    }

    public static void main(String[] args) {
        System.out.println("withdrawing");
        withdraw(10);
        System.out.println("never printed");
    }
}
// Output:
// withdrawing
