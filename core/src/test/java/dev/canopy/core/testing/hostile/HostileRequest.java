package dev.canopy.core.testing.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a hostile-input suite: a request exactly as it goes on the wire, and the answer it must
 * get. Built fluently: {@code post("/services/$register").json("{\"url\":").expect(400, MALFORMED)}.
 */
public final class HostileRequest {
    /** How the body is delimited: by a Content-Length the client computes, chunked, or by the row's own headers. */
    public enum Framing { LENGTH, CHUNKED, AS_GIVEN }

    private final String method;
    private final String target;
    private final List<String[]> headers = new ArrayList<>();
    private String what;
    private byte[] body = new byte[0];
    private Framing framing = Framing.LENGTH;
    private Credential credential = Credential.VALID;
    private int status;
    private String type;
    private String param;
    private boolean inContract = true;

    private HostileRequest(String method, String target) {
        this.method = method;
        this.target = target;
    }

    public static HostileRequest request(String method, String target) {
        return new HostileRequest(method, target);
    }

    public static HostileRequest get(String target) {
        return request("GET", target);
    }

    public static HostileRequest post(String target) {
        return request("POST", target);
    }

    public static HostileRequest put(String target) {
        return request("PUT", target);
    }

    public static HostileRequest delete(String target) {
        return request("DELETE", target);
    }

    /** What the row tries, for its name in the report. */
    public HostileRequest named(String description) {
        this.what = description;
        return this;
    }

    public HostileRequest json(String json) {
        return body(json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** A body of raw bytes; {@code contentType} null sends none. */
    public HostileRequest body(byte[] bytes, String contentType) {
        this.body = bytes;
        if (contentType != null) {
            header("Content-Type", contentType);
        }
        return this;
    }

    /** A header as given, repeated if given twice; the value may hold any byte from 0 to 255. */
    public HostileRequest header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    public HostileRequest chunked() {
        this.framing = Framing.CHUNKED;
        return this;
    }

    /** The row's own Content-Length or Transfer-Encoding headers delimit the body (or lie about it). */
    public HostileRequest framedAsGiven() {
        this.framing = Framing.AS_GIVEN;
        return this;
    }

    public HostileRequest as(Credential credential) {
        this.credential = credential;
        return this;
    }

    public HostileRequest expect(int status) {
        this.status = status;
        return this;
    }

    /** The status, and the problem's {@code type}. */
    public HostileRequest expect(int status, String type) {
        this.status = status;
        this.type = type;
        return this;
    }

    /** An {@code invalid_params} entry the problem must name. */
    public HostileRequest naming(String param) {
        this.param = param;
        return this;
    }

    /**
     * No operation of the contract describes this request (a method or path it does not have, an error
     * Jetty answers before any operation is chosen), so the answer is held to problem+json only.
     */
    public HostileRequest outsideContract() {
        this.inContract = false;
        return this;
    }

    public String method() {
        return method;
    }

    public String target() {
        return target;
    }

    public List<String[]> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public Framing framing() {
        return framing;
    }

    public Credential credential() {
        return credential;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public boolean inContract() {
        return inContract;
    }

    /** The path the contract knows the request by: the target without its query. */
    public String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    @Override
    public String toString() {
        String shownTarget = target.length() > 70 ? target.substring(0, 67) + "..." : target;
        StringBuilder name = new StringBuilder();
        for (char c : (method + " " + shownTarget).toCharArray()) {
            name.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return (what == null ? "" : what + ": ") + name + " -> " + status;
    }
}
