package dev.canopy.core.auth;

import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

/** A role is a kind of key ({@code child}, {@code read}, ...): a key has those it is listed under, an admin key all. */
final class KeyKindAuthorizer implements Authorizer<KeyPrincipal> {
    @Override
    public boolean authorize(KeyPrincipal principal, String role, ContainerRequestContext requestContext) {
        return principal.actsAs(KeyKind.ofSpecName(role));
    }
}
