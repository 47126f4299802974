package org.gort.api;

import java.util.Objects;
import org.gort.kernel.NetFD;

/**
 * Go's {@code net.PacketConn} ({@code *net.UDPConn} from {@code net.ListenPacket}): an
 * unconnected UDP socket on loopback, made by {@link Net#listenPacket}. Each call reads or
 * writes one datagram.
 *
 * <pre>{@code
 * PacketConn pc = Net.listenPacket("udp", "127.0.0.1:0"); // pc, err := net.ListenPacket("udp", "127.0.0.1:0")
 * byte[] buf = new byte[1500];
 * PacketConn.Received r = pc.readFrom(buf);              // n, addr, err := pc.ReadFrom(buf)
 * pc.writeTo(buf, 0, r.n(), r.addr());                   // pc.WriteTo(buf[:n], addr)
 * }</pre>
 *
 * <p>One goroutine may read while another writes; a second reader (or writer) waits for the
 * first, as Go's {@code fdMutex} makes it. Errors are {@link OpError}s:
 * {@code read udp 127.0.0.1:P: i/o timeout} after a deadline,
 * {@code read udp 127.0.0.1:P: use of closed network connection} after {@link #close}.
 *
 * @since 1.26
 */
public final class PacketConn extends BaseConn {
    /**
     * What {@code ReadFrom} returns besides the error: {@code n}, the bytes of the datagram
     * put in the buffer, and {@code addr}, its sender's {@code Addr().String()}
     * ({@code 127.0.0.1:PORT}).
     */
    public record Received(int n, String addr) {
    }

    PacketConn(NetFD fd) {
        super(fd);
    }

    /**
     * {@code ReadFrom(b)}: waits for a datagram. A datagram longer than {@code b} fills it and
     * the rest is lost ({@code n == b.length}), as Go's {@code ReadFrom} on Linux; an empty
     * one gives {@code n == 0}.
     */
    public Received readFrom(byte[] b) {
        return fd.readFrom(b, 0, b.length);
    }

    /** {@code ReadFrom(b[off:off+len])}. */
    public Received readFrom(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        return fd.readFrom(b, off, len);
    }

    /**
     * {@code WriteTo(b, addr)}: sends {@code b} as one datagram to {@code addr}
     * ({@code host:port} on loopback); returns {@code b.length}. Unlike Go, an empty
     * {@code b} sends nothing (java.nio sends no empty datagram).
     */
    public int writeTo(byte[] b, String addr) {
        return writeTo(b, 0, b.length, addr);
    }

    /** {@code WriteTo(b[off:off+len], addr)}. */
    public int writeTo(byte[] b, int off, int len, String addr) {
        Objects.checkFromIndexSize(off, len, b.length);
        Objects.requireNonNull(addr, "addr");
        return fd.writeTo(b, off, len, addr);
    }

    @Override
    public String toString() {
        return "PacketConn(" + localAddr() + ")";
    }
}
