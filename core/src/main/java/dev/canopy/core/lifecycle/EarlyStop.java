package dev.canopy.core.lifecycle;

import io.dropwizard.lifecycle.Managed;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Runs a {@link Managed} with the app's lifecycle, and also stops it the moment the server begins to
 * stop, before Jetty drains its connections: Dropwizard alone would stop it only after the requests in
 * flight had finished. Its stop is then called twice, so it must do nothing the second time.
 */
public final class EarlyStop {
    private EarlyStop() {
    }

    /** @param stop what {@code managed} does to stop; taken apart from it as it throws no checked exception */
    public static void manage(LifecycleEnvironment lifecycle, Managed managed, Runnable stop) {
        lifecycle.manage(managed);
        lifecycle.addServerLifecycleListener(server -> server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle event) {
                stop.run();
            }
        }));
    }
}
