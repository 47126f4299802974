package org.gort.conformance.api.exitprobe;

import java.util.function.IntConsumer;

/**
 * Program code that ends the JVM in each way Java allows. ProgramExitTest loads it only after
 * rewriting it; loaded as it is, each method would end the test's JVM.
 */
public final class Quitter {
    private Quitter() {
    }

    public static void systemExit(int status) {
        System.exit(status);
    }

    public static void runtimeExit(int status) {
        Runtime.getRuntime().exit(status);
    }

    public static void runtimeHalt(int status) {
        Runtime.getRuntime().halt(status);
    }

    public static void methodReference(int status) {
        IntConsumer exit = System::exit;
        exit.accept(status);
    }

    public static void boundMethodReference(int status) {
        IntConsumer halt = Runtime.getRuntime()::halt;
        halt.accept(status);
    }

    public static void inALambda(int status) {
        Runnable r = () -> System.exit(status);
        r.run();
    }
}
