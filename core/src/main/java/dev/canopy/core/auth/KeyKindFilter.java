package dev.canopy.core.auth;

import dev.canopy.core.problem.ProblemResponses;
import dev.canopy.core.problem.ProblemType;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * After {@link BearerKeyFilter}: the key must be of a kind the operation takes (or an admin key),
 * else 403; a read key cannot write, a child key cannot act as a service. A key that passes becomes
 * the {@link RequestCaller} the resource acts for.
 */
@Priority(Priorities.AUTHORIZATION)
final class KeyKindFilter implements ContainerRequestFilter {
    private final Set<KeyKind> taken;
    private final RequestCaller caller;

    KeyKindFilter(Set<KeyKind> taken, RequestCaller caller) {
        this.taken = Set.copyOf(taken);
        this.caller = caller;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        caller.clear();
        SecurityContext security = request.getSecurityContext();
        if (!(security.getUserPrincipal() instanceof KeyPrincipal principal)) {
            // Only reachable if authentication did not run: refuse rather than let it through.
            BearerKeyFilter.refuse(request, BearerChallenge.MISSING);
            return;
        }
        if (taken.stream().noneMatch(kind -> security.isUserInRole(kind.specName()))) {
            request.abortWith(ProblemResponses.of(ProblemType.FORBIDDEN, "This operation takes " + describe(taken)
                    + " or an admin key; the key sent (" + principal.getName() + ") is " + describe(principal.kinds()),
                    request.getUriInfo()).build());
            return;
        }
        caller.set(principal);
    }

    private static String describe(Set<KeyKind> kinds) {
        return kinds.stream().map(kind -> "a " + kind.specName() + " key").sorted()
                .collect(Collectors.joining(" or "));
    }
}
