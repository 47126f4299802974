package org.gort.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls into the shell bundle, whose classes the launcher reaches only by reflection (they live
 * in the framework's class space, or in a loader of their own on the fast path).
 */
final class Reflective {
    private Reflective() {
    }

    /**
     * {@link Method#invoke} that throws what the method threw, not an
     * {@code InvocationTargetException} around it, so that the launcher reports it as it would
     * a direct call's.
     */
    static Object invoke(Method m, Object target, Object... args) throws Exception {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) {
                throw x;
            }
            if (cause instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }
}
