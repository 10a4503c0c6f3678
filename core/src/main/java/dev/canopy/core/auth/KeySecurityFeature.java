package dev.canopy.core.auth;

import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;

/**
 * Puts each resource method behind the guard its operation declares in the app's OpenAPI document
 * ({@link OperationSecurity}): open, or a key of the kinds it lists. A Canopy resource method with no
 * operation in the document stops the app from starting, so code and contract cannot part silently.
 */
public final class KeySecurityFeature implements DynamicFeature {
    private static final String OWN_PACKAGES = "dev.canopy.";

    private final OperationSecurity operations;
    private final AuthFactory auth;
    private final BearerKeyFilter authentication;
    private final RequestCaller caller;

    public KeySecurityFeature(OperationSecurity operations, AuthFactory auth, BearerKeyFilter authentication,
                              RequestCaller caller) {
        this.operations = operations;
        this.auth = auth;
        this.authentication = authentication;
        this.caller = caller;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Method method = resource.getResourceMethod();
        if (method == null || !method.getDeclaringClass().getName().startsWith(OWN_PACKAGES)) {
            // Jersey's own handlers (OPTIONS and the like) serve no data.
            return;
        }
        OperationSecurity.Requirement requirement = operations.find(method.getName())
                .orElseThrow(() -> new IllegalStateException(method.getDeclaringClass().getSimpleName() + "."
                        + method.getName() + " has no operation with that operationId in "
                        + operations.document() + ".yaml, so nothing says which key it takes"));
        if (requirement.open() || (requirement.isRead() && !auth.readsNeedAKey())) {
            return;
        }
        context.register(caller.clearing());
        if (!auth.isEnabled()) {
            context.register(new UnrestrictedCallerFilter(caller));
            return;
        }
        context.register(authentication);
        context.register(new KeyKindFilter(requirement.kinds(), caller));
    }
}
