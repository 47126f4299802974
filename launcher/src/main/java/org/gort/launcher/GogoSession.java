package org.gort.launcher;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A Gogo {@code CommandSession}, driven by reflection through the types of the bundle that
 * registered the {@code CommandProcessor} service.
 *
 * <p>Why not the API on this class path: Gogo's {@code Process.Utils.current()}, which every
 * command uses to find its pipeline's streams, reads a thread-local of the runtime's own
 * {@code Pipe} class. Had the system bundle exported {@code org.apache.felix.service.command}
 * from this class path, the API classes the bundles see would resolve {@code Pipe} here, where no
 * pipe ever runs, and find no current process. So the API stays with the runtime bundle, and the
 * launcher, outside the framework, calls the methods it needs by name.
 */
final class GogoSession implements AutoCloseable {
    static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    /** {@code Converter.INSPECT}: format a result in full. */
    private static final int INSPECT = 0;

    private final Object session;
    private final Method execute;
    private final Method put;
    private final Method get;
    private final Method format;
    private final Method close;

    private GogoSession(Object session, Class<?> type) throws NoSuchMethodException {
        this.session = session;
        this.execute = type.getMethod("execute", CharSequence.class);
        this.put = type.getMethod("put", String.class, Object.class);
        this.get = type.getMethod("get", String.class);
        this.format = type.getMethod("format", Object.class, int.class);
        this.close = type.getMethod("close");
    }

    /** A new session of the processor behind {@code ref}, reading {@code in} and writing {@code out} and {@code err}. */
    static GogoSession open(BundleContext ctx, ServiceReference<?> ref, InputStream in, PrintStream out, PrintStream err) {
        Object processor = ctx.getService(ref);
        if (processor == null) {
            throw new Main.LaunchException("the Gogo shell went away while starting; see the log above");
        }
        Bundle runtime = ref.getBundle();
        try {
            Class<?> processorType = runtime.loadClass(PROCESSOR);
            Class<?> sessionType = runtime.loadClass(SESSION);
            Method create = processorType.getMethod("createSession", InputStream.class, java.io.OutputStream.class,
                    java.io.OutputStream.class);
            return new GogoSession(create.invoke(processor, in, out, err), sessionType);
        } catch (ReflectiveOperationException e) {
            throw new Main.LaunchException("the Gogo runtime in the bundles is not the one gort was built with ("
                    + e + "); rebuild with ./gort build");
        }
    }

    void put(String name, Object value) throws Exception {
        call(put, name, value);
    }

    /** A session variable, or null. */
    Object get(String name) throws Exception {
        return call(get, name);
    }

    /** Runs a command line; returns its value. A command's exception is thrown as is. */
    Object execute(CharSequence line) throws Exception {
        return call(execute, line);
    }

    String format(Object value) throws Exception {
        return String.valueOf(call(format, value, INSPECT));
    }

    @Override
    public void close() throws Exception {
        call(close);
    }

    private Object call(Method m, Object... args) throws Exception {
        return Reflective.invoke(m, session, args);
    }
}
