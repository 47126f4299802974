package org.gort.api;

import java.io.PrintStream;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import org.gort.kernel.GoroutineStdio;

/**
 * A program's {@code System.out} and {@code System.err} are its run's standard output and
 * error, whoever holds {@code System.out} at the moment it prints.
 *
 * <p>The kernel routes what goroutine code writes to {@code System.out} into its run (the run's
 * output, an {@code // Output:} check) by installing a stream of its own as {@code System.out}
 * when a run starts. A host may put its own stream back at any time: the interactive shell's
 * Gogo does so after every command, so a program running in the background, whose {@code run}
 * command has returned, would print past its run. {@link #rewrite} therefore turns every read of
 * the fields {@code System.out} and {@code System.err} in a program's class file into a call of
 * {@link #out()} or {@link #err()}, which return the kernel's streams. Whoever compiles and
 * defines a user program's classes calls it before {@code defineClass}, as it calls
 * {@link ProgramExit#rewrite}.
 */
public final class ProgramStreams {
    private static final ClassDesc SYSTEM = ClassDesc.of("java.lang.System");
    private static final ClassDesc PRINT_STREAM = ClassDesc.of("java.io.PrintStream");
    private static final ClassDesc BRIDGE = ClassDesc.of(ProgramStreams.class.getName());
    private static final MethodTypeDesc STREAM = MethodTypeDesc.of(PRINT_STREAM);

    private ProgramStreams() {
    }

    /** The standard output of the calling goroutine's run (the host's stream elsewhere). */
    public static PrintStream out() {
        return GoroutineStdio.stdout();
    }

    /** The standard error of the calling goroutine's run (the host's stream elsewhere). */
    public static PrintStream err() {
        return GoroutineStdio.stderr();
    }

    /**
     * {@code classFile} with every {@code getstatic System.out}/{@code System.err} turned into a
     * call of {@link #out()}/{@link #err()}; the same array when it reads neither. A class file
     * the JDK cannot parse is returned as it is (the class loader will report it).
     */
    public static byte[] rewrite(byte[] classFile) {
        return ClassRewrite.rewrite(classFile, (code, element) -> {
            if (element instanceof FieldInstruction f && f.opcode() == Opcode.GETSTATIC
                    && f.owner().asSymbol().equals(SYSTEM) && f.typeSymbol().equals(PRINT_STREAM)) {
                String name = f.name().stringValue();
                if (name.equals("out") || name.equals("err")) {
                    code.invokestatic(BRIDGE, name, STREAM);
                    return true;
                }
            }
            return false;
        });
    }
}
