package dev.canopy.core.auth;

import dev.canopy.core.logging.Events;
import dev.canopy.core.logging.HeaderLoggers;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys for an app, from its {@code auth:} block: each operation is guarded as its OpenAPI document
 * declares ({@link KeySecurityFeature}), the admin pages take an admin key, and a change to an entry
 * another key owns is answered 403. {@code /health}, the OpenAPI document and Swagger UI stay open.
 */
public final class AuthBundle<C extends Configuration> implements ConfiguredBundle<C> {
    private static final Logger LOG = LoggerFactory.getLogger(AuthBundle.class);

    private final String document;
    private final Function<C, AuthFactory> auth;
    private final RequestCaller caller = new RequestCaller();

    /**
     * @param document the app's document name in api-spec, e.g. {@code parent}
     * @param auth     where the app's configuration keeps its {@code auth:} block
     */
    public AuthBundle(String document, Function<C, AuthFactory> auth) {
        this.document = document;
        this.auth = auth;
    }

    /** Whom the request being served acts for: what the app's resources hand to its registries. */
    public RequestCaller caller() {
        return caller;
    }

    @Override
    public void run(C configuration, Environment environment) {
        HeaderLoggers.keepQuiet();
        AuthFactory factory = auth.apply(configuration);
        KeyAuthenticator authenticator = factory.buildAuthenticator();
        environment.jersey().register(new KeySecurityFeature(OperationSecurity.of(document), factory,
                BearerKeyFilter.using(authenticator), caller));
        environment.jersey().register(NotOwnerExceptionMapper.class);
        if (factory.isEnabled()) {
            environment.admin().addFilter("admin-key", new AdminKeyFilter(authenticator))
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
            Events.info(LOG, "auth_enabled").with("reads", factory.readsNeedAKey() ? "key" : "open")
                    .log("Keys are required for changes" + (factory.readsNeedAKey() ? " and reads" : "")
                            + " and for the admin pages");
        } else {
            Events.warn(LOG, "auth_disabled")
                    .log("Authentication is DISABLED (CANOPY_AUTH=disabled): anyone who can reach this app may "
                            + "register, change and remove anything, and open its admin pages");
        }
    }
}
