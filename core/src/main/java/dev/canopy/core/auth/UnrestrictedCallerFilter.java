package dev.canopy.core.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** With {@code CANOPY_AUTH=disabled}: every request that would take a key acts as {@link Caller#UNRESTRICTED}. */
@Priority(Priorities.AUTHENTICATION)
final class UnrestrictedCallerFilter implements ContainerRequestFilter {
    private final RequestCaller caller;

    UnrestrictedCallerFilter(RequestCaller caller) {
        this.caller = caller;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        caller.set(Caller.UNRESTRICTED);
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return (Principal) Caller.UNRESTRICTED;
            }

            @Override
            public boolean isUserInRole(String role) {
                return true;
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return null;
            }
        });
    }
}
