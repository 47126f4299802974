package org.gort.api;

import java.time.Instant;
import org.gort.kernel.NetFD;

/**
 * What {@link Conn} and {@link PacketConn} share: Go's unexported {@code conn}, the struct
 * {@code *net.TCPConn} and {@code *net.UDPConn} embed, with the methods of {@code net.Conn}
 * and {@code net.PacketConn} that only touch the descriptor.
 */
abstract class BaseConn {
    final NetFD fd;

    BaseConn(NetFD fd) {
        this.fd = fd;
    }

    /** {@code Close}: pending and later reads and writes fail; a second close fails. */
    public void close() {
        fd.close();
    }

    /** {@code SetDeadline(t)}: reads and writes; null means none (Go's zero {@code time.Time}). */
    public void setDeadline(Instant t) {
        fd.setDeadline(t, true, true);
    }

    /** {@code SetReadDeadline(t)}: also wakes a read waiting now, if {@code t} has passed. */
    public void setReadDeadline(Instant t) {
        fd.setDeadline(t, true, false);
    }

    /** {@code SetWriteDeadline(t)}. */
    public void setWriteDeadline(Instant t) {
        fd.setDeadline(t, false, true);
    }

    /** {@code LocalAddr().String()}: {@code 127.0.0.1:PORT}, the port the system chose for port 0. */
    public String localAddr() {
        return fd.localAddr();
    }
}
