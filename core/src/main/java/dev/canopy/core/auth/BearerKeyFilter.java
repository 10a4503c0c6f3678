package dev.canopy.core.auth;

import dev.canopy.core.problem.ProblemResponses;
import dev.canopy.core.problem.ProblemType;
import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Optional;

/**
 * Authenticates {@code Authorization: Bearer <key>} with dropwizard-auth: a known key becomes the
 * request's {@link KeyPrincipal} (and the request log's user, by its name); anything else is answered
 * 401 with a problem and the Bearer challenge, before the resource is reached.
 */
@Priority(Priorities.AUTHENTICATION)
public final class BearerKeyFilter extends AuthFilter<String, KeyPrincipal> {
    private static final class Builder extends AuthFilterBuilder<String, KeyPrincipal, BearerKeyFilter> {
        @Override
        protected BearerKeyFilter newInstance() {
            return new BearerKeyFilter();
        }
    }

    private BearerKeyFilter() {
    }

    public static BearerKeyFilter using(KeyAuthenticator authenticator) {
        return new Builder()
                .setAuthenticator(authenticator)
                .setAuthorizer(new KeyKindAuthorizer())
                .setPrefix("Bearer")
                .setRealm(BearerChallenge.REALM)
                .buildAuthFilter();
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Optional<String> key = BearerChallenge.keyIn(header);
        if (key.isEmpty()) {
            refuse(request, header == null ? BearerChallenge.MISSING : BearerChallenge.MALFORMED);
        } else if (!authenticate(request, key.get(), SecurityContext.BASIC_AUTH)) {
            refuse(request, BearerChallenge.UNKNOWN);
        }
    }

    static void refuse(ContainerRequestContext request, BearerChallenge challenge) {
        request.abortWith(ProblemResponses.of(ProblemType.UNAUTHORIZED, challenge.detail(), request.getUriInfo())
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge.header())
                .build());
    }
}
