package org.gort.shell;

import java.util.List;
import org.gort.api.ProgramExit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.framework.hooks.weaving.WovenClass;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Keeps a bundle's {@code System.exit} from ending the shell: every class a bundle loads (but the
 * framework's, Gogo's and gort's own shell and kernel) has its calls of {@code System.exit},
 * {@code Runtime.exit} and {@code Runtime.halt} rewritten by {@link ProgramExit#rewrite}, so that
 * on a goroutine they end that run with the status (Go's {@code os.Exit}) and elsewhere they are
 * refused with a {@link SecurityException}. A woven class gains a dynamic import of
 * {@code org.gort.api}, where the bridge lives.
 *
 * <p>The hook is registered while the built-in bundles start (start level 3), before the deploy
 * folder's bundles are installed (level 4): every class a dropped-in workload or strategy loads
 * is seen. The kernel does not know of OSGi; the rewriting is the kernel's, the weaving is here.
 * The component registers itself, an object that exists, rather than offering a service that DS
 * would make on demand: the framework asks for weaving hooks while it loads the component's own
 * class, which DS would see as a circular reference.
 */
@Component(service = {}, immediate = true)
public final class ProgramExitWeaver implements WeavingHook {
    /** Bundles whose code may end the JVM or does not run programs: the framework, its shell, gort's own. */
    static final List<String> UNWOVEN = List.of("org.apache.felix.", "org.osgi.", "org.jline", "slf4j.", "org.slf4j",
            "org.gort.kernel", "org.gort.shell", "org.gort.launcher");

    private ServiceRegistration<WeavingHook> registration;

    @Activate
    void activate(BundleContext context) {
        registration = context.registerService(WeavingHook.class, this, null);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }

    @Override
    public void weave(WovenClass woven) {
        BundleWiring wiring = woven.getBundleWiring();
        Bundle bundle = wiring == null ? null : wiring.getBundle();
        if (bundle == null || bundle.getBundleId() == 0 || !weaves(bundle.getSymbolicName())) {
            return;
        }
        byte[] bytes = woven.getBytes();
        byte[] rewritten;
        try {
            rewritten = ProgramExit.rewrite(bytes);
        } catch (RuntimeException | LinkageError e) {
            return; // a class the rewriter cannot handle loads as it is; a throwing hook would be blacklisted
        }
        if (rewritten != bytes) {
            woven.setBytes(rewritten);
            woven.getDynamicImports().add("org.gort.api");
        }
    }

    static boolean weaves(String symbolicName) {
        if (symbolicName == null) {
            return false;
        }
        for (String prefix : UNWOVEN) {
            if (symbolicName.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }
}
