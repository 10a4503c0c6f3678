package dev.canopy.core.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.model.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches Jersey (an ambiguous or malformed URI, a
 * header too large, a bad request line, a path no servlet serves): problem+json like every other
 * error, never an HTML page. Jetty asks the server's handler for requests that never entered a
 * context and the context's ({@link InContext}) for the others, so both are replaced.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        writeProblem(request, response, callback, code, message);
    }

    /** Jetty writes an error page only for GET, POST and HEAD by default; a problem is due to every method. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ProblemResponses.MEDIA_TYPE);
        return ByteBuffer.wrap(body(status, reason, null));
    }

    /** The same answers for errors raised inside a servlet context (unknown admin paths, say). */
    public static final class InContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                     String contentType, List<Charset> charsets, int code,
                                                     String message, Throwable cause) {
            writeProblem(request, response, callback, code, message);
            return true;
        }
    }

    private static void writeProblem(Request request, Response response, Callback callback, int code, String message) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemResponses.MEDIA_TYPE);
        response.write(true, ByteBuffer.wrap(body(code, message, request.getHttpURI().getPath())), callback);
    }

    private static byte[] body(int code, String message, String path) {
        Problem problem = new Problem("about:blank", ProblemResponses.titleOf(code), code)
                .detail(message == null || message.isBlank() ? "The request was refused by the server"
                        : ProblemResponses.clip(message, ProblemResponses.MAX_DETAIL))
                .instance(ProblemResponses.clip(path, ProblemResponses.MAX_DETAIL));
        try {
            return JSON.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            return ("{\"type\":\"about:blank\",\"title\":\"HTTP " + code + "\",\"status\":" + code + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
