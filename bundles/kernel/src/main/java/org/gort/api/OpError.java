package org.gort.api;

/**
 * Go's {@code *net.OpError}: a network operation failed. The message is Go's, e.g.
 * {@code read tcp 127.0.0.1:50364->127.0.0.1:8080: i/o timeout},
 * {@code accept tcp 127.0.0.1:8080: use of closed network connection} or
 * {@code dial tcp 127.0.0.1:1: connect: connection refused}.
 *
 * @since 1.18
 */
public final class OpError extends RuntimeException {
    /** Go's {@code os.ErrDeadlineExceeded} text. */
    public static final String TIMEOUT = "i/o timeout";
    /** Go's {@code net.ErrClosed} text. */
    public static final String CLOSED = "use of closed network connection";

    private final String op;
    private final String net;
    private final String source;
    private final String addr;
    private final String err;

    /**
     * @param op     the operation: {@code read}, {@code write}, {@code accept}, {@code dial},
     *               {@code listen}, {@code close}, {@code set}
     * @param net    the network, {@code tcp} or {@code udp}
     * @param source the local address, or null
     * @param addr   the remote (or listening) address, or null
     * @param err    what went wrong, as Go prints it
     */
    public OpError(String op, String net, String source, String addr, String err) {
        super(format(op, net, source, addr, err), null, false, false);
        this.op = op;
        this.net = net;
        this.source = source;
        this.addr = addr;
        this.err = err;
    }

    /** {@code (*OpError).Error}. */
    private static String format(String op, String net, String source, String addr, String err) {
        StringBuilder s = new StringBuilder(op);
        if (net != null && !net.isEmpty()) {
            s.append(' ').append(net);
        }
        if (source != null) {
            s.append(' ').append(source);
        }
        if (addr != null) {
            s.append(source != null ? "->" : " ").append(addr);
        }
        return s.append(": ").append(err).toString();
    }

    public String op() {
        return op;
    }

    public String net() {
        return net;
    }

    public String source() {
        return source;
    }

    public String addr() {
        return addr;
    }

    /** The underlying error's text ({@code e.Err.Error()}). */
    public String err() {
        return err;
    }

    /** {@code net.Error.Timeout()}: a deadline passed ({@code errors.Is(err, os.ErrDeadlineExceeded)}). */
    public boolean timeout() {
        return TIMEOUT.equals(err);
    }

    /** {@code errors.Is(err, net.ErrClosed)}: the connection or listener was closed. */
    public boolean closed() {
        return CLOSED.equals(err);
    }
}
