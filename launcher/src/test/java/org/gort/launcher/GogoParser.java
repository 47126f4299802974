package org.gort.launcher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;

/**
 * Gogo's own parser, for tests that check what the launcher hands Gogo: the values a command
 * receives when Gogo executes a command line. One per test class ({@code @BeforeAll}), closed
 * after it.
 */
final class GogoParser implements AutoCloseable {
    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private final CommandProcessorImpl processor;

    /** Records the values a command receives; the command's name is the method's. */
    public static final class Recorder {
        final List<Object> got = new ArrayList<>();

        public void run(Object... words) {
            got.addAll(List.of(words));
        }

        public void words(Object... words) {
            got.addAll(List.of(words));
        }
    }

    GogoParser() {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
    }

    /**
     * The values Gogo hands the command {@code command} ({@code run} or {@code words}) when it
     * executes the process arguments {@code args} as the launcher passes them ({@link CommandLine#of}).
     */
    List<Object> received(String command, List<String> args) throws Exception {
        Recorder r = new Recorder();
        processor.addCommand("t", r, command);
        try (CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())) {
            s.execute(CommandLine.of(args));
        } finally {
            processor.removeCommand("t", command, r);
        }
        return r.got;
    }

    @Override
    public void close() {
        processor.stop();
        threadIO.stop();
    }
}
