package dev.canopy.core.testing.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP/1.1 over a plain socket, byte for byte as a hostile client writes it: any method, any request
 * target (raw bytes, no encoding applied), repeated or malformed headers, a body with a true, false or
 * missing Content-Length, or chunked. Every request closes its connection, so the answer is read to
 * the end. The body is written on a thread of its own, so that an answer the server sends before it
 * has read the whole body (a 413, say) is read while the body is still going out.
 */
public final class RawHttp {
    private static final int TIMEOUT_MS = 20_000;

    private RawHttp() {
    }

    /** What came back: the status, the headers (names in lower case), the body (de-chunked). */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The media type without parameters, or null. */
        public String mediaType() {
            String type = header("content-type");
            return type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        }
    }

    /** Sends {@code head} (request line and headers, CRLF-terminated, blank line included) then {@code body}. */
    public static Answer exchange(int port, byte[] head, byte[] body, boolean chunked) {
        return exchange(port, head, body, chunked, false);
    }

    /**
     * As {@link #exchange(int, byte[], byte[], boolean)}; with {@code thenHangUp} the client closes its
     * side once the body is out, as a client that promised more body than it sent and gave up.
     */
    public static Answer exchange(int port, byte[] head, byte[] body, boolean chunked, boolean thenHangUp) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.flush();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                writeBody(out, body, chunked);
                if (thenHangUp) {
                    hangUp(socket);
                }
            });
            Answer answer = read(socket.getInputStream());
            finish(writing);
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBody(OutputStream out, byte[] body, boolean chunked) {
        try {
            if (chunked) {
                int chunk = 8 * 1024;
                for (int offset = 0; offset < body.length; offset += chunk) {
                    int length = Math.min(chunk, body.length - offset);
                    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, offset, length);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (body.length > 0) {
                out.write(body);
            }
            out.flush();
        } catch (IOException e) {
            // The server answered and closed before taking the whole body: that is its right.
        }
    }

    private static void hangUp(Socket socket) {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // Already closed by the server.
        }
    }

    private static void finish(CompletableFuture<Void> writing) {
        try {
            writing.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            writing.cancel(true);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // A reset after the answer: keep what arrived; an empty answer fails below.
        }
        return parse(received.toByteArray());
    }

    static Answer parse(byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end < 0) {
            throw new IllegalStateException("No complete HTTP answer (" + raw.length + " bytes): "
                    + new String(raw, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        List<String> encoding = headers.get("transfer-encoding");
        byte[] body = encoding != null && encoding.contains("chunked") ? dechunk(rest) : rest;
        List<String> length = headers.get("content-length");
        if (length != null && encoding == null) {
            body = java.util.Arrays.copyOf(body, Math.min(body.length, Integer.parseInt(length.get(0))));
        }
        return new Answer(status, headers, body);
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < raw.length) {
            int lineEnd = indexOf(raw, new byte[] {'\r', '\n'}, at);
            if (lineEnd < 0) {
                break;
            }
            String sizeLine = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII).split(";", 2)[0].trim();
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                break;
            }
            body.write(raw, lineEnd + 2, Math.min(size, raw.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return body.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
