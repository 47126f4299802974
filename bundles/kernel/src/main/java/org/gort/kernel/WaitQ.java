package org.gort.kernel;

/** A channel's FIFO of waiting sudogs (Go's {@code waitq}); guarded by the channel's lock. */
final class WaitQ {
    private Sudog first;
    private Sudog last;

    void enqueue(Sudog s) {
        s.next = null;
        s.prev = last;
        if (last == null) {
            first = s;
        } else {
            last.next = s;
        }
        last = s;
    }

    /**
     * Takes the first sudog whose goroutine can still be woken: a select's sudog is skipped if
     * another case of that select already won ({@code selectDone} CAS), as in Go.
     */
    Sudog dequeue() {
        while (true) {
            Sudog s = first;
            if (s == null) {
                return null;
            }
            unlink(s);
            if (s.isSelect && !s.g.winSelect()) {
                continue;
            }
            return s;
        }
    }

    void remove(Sudog s) {
        if (s.prev != null || first == s) {
            unlink(s);
        }
    }

    private void unlink(Sudog s) {
        if (s.prev == null) {
            first = s.next;
        } else {
            s.prev.next = s.next;
        }
        if (s.next == null) {
            last = s.prev;
        } else {
            s.next.prev = s.prev;
        }
        s.next = null;
        s.prev = null;
    }

    boolean isEmpty() {
        return first == null;
    }
}
