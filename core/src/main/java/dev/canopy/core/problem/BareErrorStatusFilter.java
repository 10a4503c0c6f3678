package dev.canopy.core.problem;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Some of Dropwizard's admin servlets refuse a request with a bare status and no body (an unknown
 * task: {@code setStatus(404)}). Such a client-error status becomes {@code sendError}, so the context's
 * error handler answers it with a problem, as every other error is. A response already typed as a
 * problem is left alone.
 */
public final class BareErrorStatusFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, new HttpServletResponseWrapper((HttpServletResponse) response) {
            @Override
            public void setStatus(int status) {
                if (status >= 400 && status < 500 && !isCommitted() && !answersWithAProblem()) {
                    try {
                        sendError(status);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                } else {
                    super.setStatus(status);
                }
            }

            /** A filter that writes its own problem (the admin key check) has set its type first. */
            private boolean answersWithAProblem() {
                String type = getContentType();
                return type != null && type.startsWith(ProblemResponses.MEDIA_TYPE);
            }
        });
    }
}
