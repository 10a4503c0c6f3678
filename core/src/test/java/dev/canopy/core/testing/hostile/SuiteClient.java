package dev.canopy.core.testing.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Sends suite requests to one app: every request, hostile row or the suite's own reads and set-up,
 * goes through {@link #send}, which adds the headers every request carries (the host, the
 * credential) in one place.
 */
public final class SuiteClient {
    private final int port;
    private final CredentialHeaders credentials;

    public SuiteClient(int port, CredentialHeaders credentials) {
        this.port = port;
        this.credentials = credentials;
    }

    public RawHttp.Answer send(HostileRequest request) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        write(head, request.method() + " ", StandardCharsets.ISO_8859_1);
        // The target goes out as UTF-8 bytes, unencoded: a row chooses its own percent-encoding.
        write(head, request.target(), StandardCharsets.UTF_8);
        write(head, " HTTP/1.1\r\n", StandardCharsets.ISO_8859_1);
        header(head, "Host", "localhost:" + port);
        header(head, "Connection", "close");
        for (String[] credential : credentials.headersFor(request.credential())) {
            header(head, credential[0], credential[1]);
        }
        for (String[] header : request.headers()) {
            header(head, header[0], header[1]);
        }
        switch (request.framing()) {
            case LENGTH -> {
                if (request.body().length > 0) {
                    header(head, "Content-Length", String.valueOf(request.body().length));
                }
            }
            case CHUNKED -> header(head, "Transfer-Encoding", "chunked");
            case AS_GIVEN -> {
                // The row's headers say (or misstate) how long the body is.
            }
        }
        write(head, "\r\n", StandardCharsets.ISO_8859_1);
        return RawHttp.exchange(port, head.toByteArray(), request.body(),
                request.framing() == HostileRequest.Framing.CHUNKED,
                        request.framing() == HostileRequest.Framing.AS_GIVEN);
    }

    /** A plain GET, with the headers every request carries. */
    public RawHttp.Answer get(String path) {
        return send(HostileRequest.get(path));
    }

    /** A well-formed JSON request, for setting the stage. */
    public RawHttp.Answer sendJson(String method, String path, String json) {
        return send(HostileRequest.request(method, path).json(json));
    }

    private static void header(ByteArrayOutputStream head, String name, String value) {
        write(head, name + ": " + value + "\r\n", StandardCharsets.ISO_8859_1);
    }

    private static void write(ByteArrayOutputStream out, String text, java.nio.charset.Charset charset) {
        byte[] bytes = text.getBytes(charset);
        out.write(bytes, 0, bytes.length);
    }
}
