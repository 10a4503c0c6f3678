package dev.canopy.core.openapi;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves one document read from the classpath once, with the media type it is given. */
final class ClasspathDocumentServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final byte[] body;
    private final String mediaType;

    ClasspathDocumentServlet(String resource, String mediaType) {
        this.body = read(resource);
        this.mediaType = mediaType;
    }

    ClasspathDocumentServlet(byte[] body, String mediaType) {
        this.body = body.clone();
        this.mediaType = mediaType;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType(mediaType);
        response.setContentLength(body.length);
        response.setHeader("Cache-Control", "no-cache");
        response.getOutputStream().write(body);
    }

    private static byte[] read(String resource) {
        try (InputStream in = ClasspathDocumentServlet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath; is canopy-api-spec built?");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
