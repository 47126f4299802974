package org.gort.conformance;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * Around every kit test: finds the strategies it runs under (its arguments that name an
 * installed strategy), skips it when {@code -Dgort.kit.only=NAME[,NAME]} names none of them,
 * and records its outcome, time and ejections for {@link KitReport}'s per-strategy table.
 * Registered through JUnit's extension auto-detection (the kit's junit-platform.properties).
 */
public final class KitExtension implements InvocationInterceptor {
    /** The system property that restricts the kit to some strategies. */
    public static final String ONLY = "gort.kit.only";

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        observe(invocation, List.of(), context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        observe(invocation, call.getArguments(), context);
    }

    private static void observe(Invocation<Void> invocation, List<Object> arguments, ExtensionContext context)
            throws Throwable {
        List<String> strategies = KitReport.strategiesIn(arguments);
        List<String> only = only();
        if (!only.isEmpty() && strategies.stream().noneMatch(only::contains)) {
            invocation.skip();
            throw new TestAbortedException(ONLY + "=" + String.join(",", only) + " leaves this test out");
        }
        long ejections = Kit.ejectionsSoFar();
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            invocation.proceed();
        } catch (TestAbortedException e) {
            throw e;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            KitReport.record(nameOf(context), strategies, failure, System.nanoTime() - start,
                    Kit.ejectionsSoFar() - ejections);
        }
    }

    /** "unbuffered send is a rendezvous under fifo": a parameterized test's name and its invocation's. */
    private static String nameOf(ExtensionContext context) {
        String own = context.getDisplayName();
        return context.getParent().filter(p -> p.getTestMethod().isPresent())
                .map(p -> p.getDisplayName() + " " + own).orElse(own);
    }

    /** The strategies {@code -Dgort.kit.only} names, or none. */
    static List<String> only() {
        String v = System.getProperty(ONLY, "").trim();
        return v.isEmpty() ? List.of() : List.of(v.split("\\s*,\\s*"));
    }
}
