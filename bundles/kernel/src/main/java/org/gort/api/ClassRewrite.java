package org.gort.api;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.util.function.BiPredicate;

/**
 * The shared skeleton of the rewrites of a program's class files ({@link ProgramStreams},
 * {@link ProgramExit}): every method body's instructions pass through {@code replace}, which
 * either emits a replacement into the builder and returns true, or returns false to keep the
 * instruction. The same array comes back when nothing was replaced, or when the JDK cannot parse
 * the class file (the class loader will report it).
 */
final class ClassRewrite {
    private ClassRewrite() {
    }

    static byte[] rewrite(byte[] classFile, BiPredicate<CodeBuilder, CodeElement> replace) {
        ClassFile cf = ClassFile.of();
        ClassModel model;
        try {
            model = cf.parse(classFile);
        } catch (IllegalArgumentException e) {
            return classFile;
        }
        boolean[] changed = {false};
        CodeTransform each = (code, element) -> {
            if (replace.test(code, element)) {
                changed[0] = true;
            } else {
                code.with(element);
            }
        };
        byte[] out = cf.transformClass(model, ClassTransform.transformingMethodBodies(each));
        return changed[0] ? out : classFile;
    }
}
