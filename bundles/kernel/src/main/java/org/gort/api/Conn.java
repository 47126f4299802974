package org.gort.api;

import org.gort.kernel.NetFD;

/**
 * Go's {@code net.Conn} ({@code *net.TCPConn}): made by {@link Net#dial},
 * {@link Net#dialTimeout} and {@link Listener#accept}. One goroutine may read while another
 * writes; a second reader (or writer) waits for the first, as Go's {@code fdMutex} makes it.
 *
 * <p>Errors are {@link OpError}s: {@code read tcp L->R: i/o timeout} after a deadline,
 * {@code read tcp L->R: use of closed network connection} after {@link #close}. The end of
 * the stream is not an error here: {@link #read} returns -1 where Go returns {@code io.EOF}.
 *
 * <p>Dialed with {@code udp} (since 1.26) it is Go's {@code *net.UDPConn} from {@code
 * net.Dial}: each {@link #write} sends one datagram to the peer, each {@link #read} takes one
 * datagram from it (a longer one fills the buffer and the rest is lost; an empty one reads as
 * 0, never -1), and errors name {@code udp}. Unlike Go, writing 0 bytes sends no datagram
 * (java.nio sends no empty one).
 *
 * @since 1.18
 */
public final class Conn extends BaseConn {
    Conn(NetFD fd) {
        super(fd);
    }

    /** {@code Read(b)}: waits for at least one byte; -1 at {@code io.EOF} (the peer closed). */
    public int read(byte[] b) {
        return fd.read(b, 0, b.length);
    }

    /** {@code Read(b[off:off+len])}. */
    public int read(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return fd.read(b, off, len);
    }

    /**
     * {@code io.ReadFull(c, b)}: reads until {@code b} is full. Returns {@code b.length}, or -1
     * if the stream ended before the first byte ({@code io.EOF}); if it ended part way, fails
     * with {@code unexpected EOF} ({@code io.ErrUnexpectedEOF}).
     */
    public int readFull(byte[] b) {
        int n = 0;
        while (n < b.length) {
            int r = fd.read(b, n, b.length - n);
            if (r < 0) {
                if (n == 0) {
                    return -1;
                }
                throw new OpError("read", fd.network(), localAddr(), remoteAddr(), "unexpected EOF");
            }
            n += r;
        }
        return n;
    }

    /** {@code Write(b)}: writes all of {@code b} or fails. */
    public int write(byte[] b) {
        return fd.write(b, 0, b.length);
    }

    /** {@code Write(b[off:off+len])}. */
    public int write(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return fd.write(b, off, len);
    }

    /** {@code RemoteAddr().String()}. */
    public String remoteAddr() {
        return fd.remoteAddr();
    }

    @Override
    public String toString() {
        return "Conn(" + localAddr() + "->" + remoteAddr() + ")";
    }
}
