package org.gort.api;

import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.MethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.gort.kernel.Kernel;

/**
 * A program's {@code System.exit(n)} ends its run, not the JVM: Go's {@code os.Exit(n)}.
 *
 * <p>gort runs many programs, one after another or side by side, in one JVM that also holds the
 * interactive shell. JDK 25 has no SecurityManager to refuse {@code System.exit}, so the calls
 * are rewritten where the code is loaded: {@link #rewrite} turns every call of
 * {@code System.exit(int)}, {@code Runtime.exit(int)} and {@code Runtime.halt(int)} in a class
 * file (plain calls, and method references such as {@code System::exit}) into a call of the
 * bridge methods here. On a goroutine the bridge is {@link Go#exit}: the run ends with status
 * {@code n} and the shell goes on. Anywhere else (a bundle activator, a strategy callback on a
 * kernel thread, a thread the program made itself) no run can be named, so the bridge refuses
 * with a {@link SecurityException}, as a SecurityManager used to.
 *
 * <p>Who rewrites: the shell's weaving hook for every bundle that is not the framework's own
 * (workloads and strategies dropped into the deploy folder), and whoever compiles and defines a
 * user program's classes ({@code ./gort run Prog.java}), by calling {@link #rewrite} on each
 * class file before {@code defineClass}. Calls made by reflection or through a method handle
 * looked up at run time are not seen; they exit the JVM as before.
 */
public final class ProgramExit {
    private static final ClassDesc SYSTEM = ClassDesc.of("java.lang.System");
    private static final ClassDesc RUNTIME = ClassDesc.of("java.lang.Runtime");
    private static final ClassDesc BRIDGE = ClassDesc.of(ProgramExit.class.getName());
    private static final MethodTypeDesc INT_VOID = MethodTypeDesc.ofDescriptor("(I)V");
    private static final MethodTypeDesc RUNTIME_INT_VOID = MethodTypeDesc.ofDescriptor("(Ljava/lang/Runtime;I)V");
    private static final byte[] SYSTEM_NAME = "java/lang/System".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RUNTIME_NAME = "java/lang/Runtime".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXIT = "exit".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HALT = "halt".getBytes(StandardCharsets.US_ASCII);

    private ProgramExit() {
    }

    /**
     * {@code classFile} with every exit of the JVM turned into an exit of the run; the same
     * array when it has none. A class file the JDK cannot parse is returned as it is (the class
     * loader will report it).
     */
    public static byte[] rewrite(byte[] classFile) {
        if (!mayCallExit(classFile)) {
            return classFile;
        }
        return ClassRewrite.rewrite(classFile, (code, element) -> {
            if (element instanceof InvokeInstruction i) {
                Target t = target(i.owner().asSymbol(), i.name().stringValue(), i.typeSymbol());
                if (t != null) {
                    code.invokestatic(BRIDGE, t.bridge(), t.type());
                    return true;
                }
            } else if (element instanceof InvokeDynamicInstruction indy) {
                DynamicCallSiteDesc site = rewriteArguments(indy);
                if (site != null) {
                    code.invokedynamic(site);
                    return true;
                }
            }
            return false;
        });
    }

    /** True when {@link #rewrite} would change {@code classFile}. */
    public static boolean callsExit(byte[] classFile) {
        return rewrite(classFile) != classFile;
    }

    /** {@code System.exit(status)} in a rewritten class: {@link Go#exit}. */
    public static void exit(int status) {
        if (!Kernel.onGoroutine()) {
            throw refused("System.exit", status);
        }
        Go.exit(status);
    }

    /** {@code runtime.exit(status)} in a rewritten class. */
    public static void runtimeExit(java.lang.Runtime runtime, int status) {
        java.util.Objects.requireNonNull(runtime);
        if (!Kernel.onGoroutine()) {
            throw refused("Runtime.exit", status);
        }
        Go.exit(status);
    }

    /** {@code runtime.halt(status)} in a rewritten class: the same as an exit (a run has no shutdown hooks). */
    public static void runtimeHalt(java.lang.Runtime runtime, int status) {
        java.util.Objects.requireNonNull(runtime);
        if (!Kernel.onGoroutine()) {
            throw refused("Runtime.halt", status);
        }
        Go.exit(status);
    }

    private static SecurityException refused(String call, int status) {
        return new SecurityException(call + "(" + status + ") refused: only a goroutine may end its run, "
                + "and code loaded by gort may not end the JVM; return from main or call Go.exit on a goroutine");
    }

    private record Target(String bridge, MethodTypeDesc type) {
    }

    /** The bridge for a call of {@code owner.name type}, or null when it is not an exit. */
    private static Target target(ClassDesc owner, String name, MethodTypeDesc type) {
        if (owner.equals(SYSTEM) && name.equals("exit") && type.equals(INT_VOID)) {
            return new Target("exit", INT_VOID);
        }
        if (owner.equals(RUNTIME) && type.equals(INT_VOID)) {
            if (name.equals("exit")) {
                return new Target("runtimeExit", RUNTIME_INT_VOID);
            }
            if (name.equals("halt")) {
                return new Target("runtimeHalt", RUNTIME_INT_VOID);
            }
        }
        return null;
    }

    /**
     * A method reference to an exit ({@code System::exit}, {@code runtime::halt}) is a method
     * handle among an invokedynamic's bootstrap arguments: point it at the bridge. A static
     * bridge taking the receiver first is what LambdaMetafactory expects of a bound receiver.
     */
    private static DynamicCallSiteDesc rewriteArguments(InvokeDynamicInstruction indy) {
        List<ConstantDesc> args = indy.bootstrapArgs();
        List<ConstantDesc> out = new ArrayList<>(args.size());
        boolean changed = false;
        for (ConstantDesc a : args) {
            if (a instanceof DirectMethodHandleDesc h && (h.kind() == DirectMethodHandleDesc.Kind.STATIC
                    || h.kind() == DirectMethodHandleDesc.Kind.VIRTUAL)) {
                MethodTypeDesc type = MethodTypeDesc.ofDescriptor(h.lookupDescriptor());
                Target t = target(h.owner(), h.methodName(), type);
                if (t != null && (h.kind() == DirectMethodHandleDesc.Kind.STATIC) == t.bridge().equals("exit")) {
                    out.add(MethodHandleDesc.ofMethod(DirectMethodHandleDesc.Kind.STATIC, BRIDGE, t.bridge(), t.type()));
                    changed = true;
                    continue;
                }
            }
            out.add(a);
        }
        if (!changed) {
            return null;
        }
        return DynamicCallSiteDesc.of(indy.bootstrapMethod(), indy.name().stringValue(),
                indy.typeSymbol(), out.toArray(ConstantDesc[]::new));
    }

    /** A cheap test on the raw bytes: the constant pool must name System or Runtime, and exit or halt. */
    private static boolean mayCallExit(byte[] b) {
        return (contains(b, SYSTEM_NAME) || contains(b, RUNTIME_NAME)) && (contains(b, EXIT) || contains(b, HALT));
    }

    private static boolean contains(byte[] b, byte[] s) {
        outer:
        for (int i = 0, n = b.length - s.length; i <= n; i++) {
            for (int j = 0; j < s.length; j++) {
                if (b[i + j] != s[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
