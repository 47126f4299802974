package org.gort.api;

import org.gort.kernel.NetFD;

/**
 * Go's {@code net.Listener} ({@code *net.TCPListener}): made by {@link Net#listen}.
 *
 * @since 1.18
 */
public final class Listener {
    private final NetFD fd;

    Listener(NetFD fd) {
        this.fd = fd;
    }

    /**
     * {@code Accept}: waits for the next connection. After {@link #close} (also one made
     * while waiting) it fails with {@code accept tcp ADDR: use of closed network connection}.
     */
    public Conn accept() {
        return new Conn(fd.accept());
    }

    /** {@code Addr().String()}: {@code 127.0.0.1:PORT}, the port the system chose for port 0. */
    public String addr() {
        return fd.localAddr();
    }

    /** {@code Close}; a second close fails with {@code use of closed network connection}. */
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "Listener(" + addr() + ")";
    }
}
