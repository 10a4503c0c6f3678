package dev.canopy.core.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.model.Problem;
import dev.canopy.core.problem.ProblemResponses;
import dev.canopy.core.problem.ProblemType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.util.Optional;

/**
 * Dropwizard's admin pages and tasks ({@code /admin}: metrics, thread dumps, log levels, garbage
 * collection) share the app's port here, so they take an admin key like any other change.
 */
public final class AdminKeyFilter implements Filter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyAuthenticator authenticator;

    public AdminKeyFilter(KeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        String header = http.getHeader(HttpHeaders.AUTHORIZATION);
        Optional<String> key = BearerChallenge.keyIn(header);
        if (key.isEmpty()) {
            refuse(http, answer, header == null ? BearerChallenge.MISSING : BearerChallenge.MALFORMED);
            return;
        }
        Optional<KeyPrincipal> principal = authenticator.authenticate(key.get());
        if (principal.isEmpty()) {
            refuse(http, answer, BearerChallenge.UNKNOWN);
        } else if (!principal.get().isAdmin()) {
            write(http, answer, ProblemType.FORBIDDEN, "The admin pages take an admin key; the key sent ("
                    + principal.get().getName() + ") is not one");
        } else {
            chain.doFilter(request, response);
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, BearerChallenge challenge)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge.header());
        write(request, response, ProblemType.UNAUTHORIZED, challenge.detail());
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, ProblemType type,
                              String detail) throws IOException {
        Problem problem = new Problem(type.uri(), type.title(), type.status()).detail(detail)
                .instance(request.getRequestURI());
        // Typed first, so the admin context's bare-status filter lets this problem through as it is.
        response.setContentType(ProblemResponses.MEDIA_TYPE);
        response.setStatus(type.status());
        response.getOutputStream().write(JSON.writeValueAsBytes(problem));
    }
}
