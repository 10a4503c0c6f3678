package dev.canopy.core.testing.hostile;

import static dev.canopy.core.testing.hostile.HostileRequest.get;
import static dev.canopy.core.testing.hostile.HostileRequest.post;
import static dev.canopy.core.testing.hostile.HostileRequest.request;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.zip.GZIPOutputStream;

/**
 * Rows every Canopy app must refuse the same way, whatever its API: broken HTTP framing and headers,
 * methods no one serves, paths that climb or smuggle, oversized bodies, bodies that are not JSON or
 * not the JSON they claim to be, and its admin pages. Each app's suite adds these to its own rows.
 */
public final class CommonRows {
    public static final String MALFORMED = "urn:canopy:problem:malformed-json";
    public static final String INVALID_BODY = "urn:canopy:problem:invalid-body";
    public static final String NOT_FOUND = "urn:canopy:problem:not-found";
    public static final String BLANK = "about:blank";
    /** The default body limit (64 KiB). */
    public static final int LIMIT = 64 * 1024;

    private CommonRows() {
    }

    /**
     * An app's event stream ({@code path}) asked to resume after an index that is none, by query or by
     * header, asked for in a form it does not serve, or with a method it does not take. None of these
     * may open a stream.
     */
    public static List<HostileRequest> eventStream(String path) {
        String invalid = "urn:canopy:problem:invalid-parameter";
        List<HostileRequest> rows = new ArrayList<>();
        for (String index : List.of("", "abc", "-1", "%2B1", "1e5", "0x10", "1.0", "1234567890123456789",
                "99999999999999999999999999", "%00", "1%0A2", "%27%20OR%201%3D1", "%EF%BC%91")) {
            rows.add(get(path + "?last_event_id=" + index).named("a resume index that is none")
                    .header("Accept", "text/event-stream").expect(400, invalid).naming("query.last_event_id"));
        }
        for (String index : List.of("abc", "-1", "+1", "1 2", "12345678901234567890", "<script>", "1;2")) {
            rows.add(get(path).named("a Last-Event-ID that is none").header("Accept", "text/event-stream")
                    .header("Last-Event-ID", index).expect(400, invalid).naming("header.Last-Event-ID"));
        }
        rows.add(get(path + "?last_event_id=1").named("a valid query index and a malformed header")
                .header("Last-Event-ID", "x").expect(400, invalid).naming("header.Last-Event-ID"));
        rows.add(get(path).named("a stream asked for as JSON").header("Accept", "application/json")
                .expect(406, BLANK));
        rows.add(post(path).named("POST on the stream").json("{}").expect(405, BLANK).outsideContract());
        rows.add(request("DELETE", path).named("DELETE on the stream").expect(405, BLANK).outsideContract());
        return rows;
    }

    /**
     * A list ({@code list}, which may end in {@code ?filter&}) asked for a page size outside 1 to 1000
     * or not a number, or for the page after something that is not a ULID: each is a 400 naming it.
     */
    public static List<HostileRequest> paging(String list) {
        return paging(list, 1000);
    }

    /** As {@link #paging(String)}, for a list whose pages hold at most {@code maxLimit} items. */
    public static List<HostileRequest> paging(String list, int maxLimit) {
        String invalid = "urn:canopy:problem:invalid-parameter";
        String query = list.contains("?") ? list : list + "?";
        List<HostileRequest> rows = new ArrayList<>();
        List<String> limits = new ArrayList<>(List.of("0", "-1", String.valueOf(maxLimit + 1), "2147483648",
                "99999999999999999999", "abc", "1.5", "1e3", "0x10", "", "%2B5", "%20", "10%0A", "%00",
                "%27%20OR%201%3D1", "%EF%BC%91"));
        if (maxLimit < 1000) {
            limits.add("1001");
        }
        for (String limit : limits) {
            rows.add(get(query + "limit=" + limit).named("a page size that is none from 1 to " + maxLimit)
                    .expect(400, invalid).naming("query.limit"));
        }
        for (String after : List.of("nope", "", "01jd5z8q3m7w8y6kx2t4r9b1ce", "01JD5Z8Q3M7W8Y6KX2T4R9B1C",
                "01JD5Z8Q3M7W8Y6KX2T4R9B1CEE", "81JD5Z8Q3M7W8Y6KX2T4R9B1CE", "01JD5Z8Q3M7W8Y6KX2T4R9B1CU", "%00",
                "%27%20OR%201%3D1", "..%2F..%2Fadmin", "%7B%22%24gt%22%3A%22%22%7D")) {
            rows.add(get(query + "after=" + after).named("a cursor that is not a ULID").expect(400, invalid)
                    .naming("query.after"));
        }
        rows.add(get(query + "limit=0&after=nope").named("a page size and a cursor both wrong").expect(400, invalid)
                .naming("query.limit"));
        return rows;
    }

    /** HTTP itself abused, against a GET operation of the app ({@code readPath}). */
    public static List<HostileRequest> transport(String readPath) {
        List<HostileRequest> rows = new ArrayList<>();
        rows.add(get(readPath).named("one header of 20 KB").header("X-Padding", "a".repeat(20_000))
                .expect(431, BLANK).outsideContract());
        HostileRequest many = get(readPath).named("300 headers");
        for (int i = 0; i < 300; i++) {
            many.header("X-Header-" + i, "v".repeat(40));
        }
        rows.add(many.expect(431, BLANK).outsideContract());
        rows.add(get(readPath + "?q=" + "a".repeat(20_000)).named("a 20 KB query string").expect(414, BLANK)
                .outsideContract());
        rows.add(get(readPath).named("a header value with a NUL byte").header("X-Nul", "a\u0000b")
                .expect(400, BLANK).outsideContract());
        rows.add(get(readPath).named("a header name with a space").header("Bad Name", "x")
                .expect(400, BLANK).outsideContract());
        rows.add(get(readPath).named("a header without a colon").header("NoColon" + "\r\nX-Next", "x")
                .expect(400, BLANK).outsideContract());
        rows.add(get(readPath).named("an obsolete folded header").header("X-Folded", "a\r\n b")
                .expect(400, BLANK).outsideContract());
        rows.add(get(readPath).named("two Host headers").header("Host", "evil.example")
                .expect(400, BLANK).outsideContract());
        rows.add(request("TRACE", readPath).named("TRACE, which would echo credentials").expect(405, BLANK)
                .outsideContract());
        rows.add(request("FOO", readPath).named("a method no one has").expect(405, BLANK).outsideContract());
        rows.add(request("get", readPath).named("a lower-case method").expect(405, BLANK).outsideContract());
        rows.add(request("PROPFIND", readPath).named("a WebDAV method").expect(405, BLANK).outsideContract());
        rows.add(request("PATCH", readPath).named("PATCH").json("{}").expect(405, BLANK).outsideContract());
        rows.add(request("DELETE", readPath).named("DELETE on a read-only resource").expect(405, BLANK)
                .outsideContract());
        rows.add(get(readPath).named("a 70 KB body on a GET").body(new byte[70_000], "application/json")
                .expect(413, BLANK).outsideContract());
        rows.add(get(readPath).named("a negative Content-Length").header("Content-Length", "-1")
                .framedAsGiven().expect(400, BLANK).outsideContract());
        rows.add(get(readPath).named("a Content-Length that is not a number").header("Content-Length", "ten")
                .framedAsGiven().expect(400, BLANK).outsideContract());
        rows.add(get(readPath).named("a Content-Length beyond 2^63").header("Content-Length", "99999999999999999999")
                .framedAsGiven().expect(400, BLANK).outsideContract());
        rows.add(get(readPath).named("two different Content-Lengths").header("Content-Length", "1")
                .header("Content-Length", "2").body("ab".getBytes(StandardCharsets.US_ASCII), null).framedAsGiven()
                .expect(400, BLANK).outsideContract());
        rows.add(get(readPath).named("Content-Length and chunked together (request smuggling)")
                .header("Content-Length", "4").header("Transfer-Encoding", "chunked")
                .body("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), null).framedAsGiven()
                .expect(400, BLANK).outsideContract());
        rows.add(get(readPath).named("a transfer coding Jetty does not know").header("Transfer-Encoding", "zstd")
                .framedAsGiven().expect(400, BLANK).outsideContract());
        return rows;
    }

    /** Paths that climb out of their tree, smuggle separators or are not UTF-8. */
    public static List<HostileRequest> paths(String prefix) {
        List<HostileRequest> rows = new ArrayList<>();
        for (String path : List.of(prefix + "/%2e%2e/%2e%2e/etc/passwd", prefix + "/..%2F..%2Fetc%2Fpasswd",
                prefix + "/%2F", prefix + "/%252e%252e/%252e%252e/admin", prefix + "/%2e%2e%5cadmin",
                prefix + "/..;/admin", "/../../etc/passwd")) {
            rows.add(get(path).named("a path that climbs").expect(400, BLANK).outsideContract());
        }
        rows.add(get(prefix + "/%00").named("an encoded NUL in the path").expect(400, BLANK).outsideContract());
        rows.add(get(prefix + "/%ff%fe").named("a path that is not UTF-8").expect(400, BLANK).outsideContract());
        rows.add(get(prefix + "/%c0%ae%c0%ae/admin").named("overlong UTF-8 dots").expect(400, BLANK).outsideContract());
        rows.add(get(prefix + "/\u202e\u00fc\u4e2d").named("raw non-ASCII bytes in the path").expect(400, BLANK)
                .outsideContract());
        rows.add(get(prefix + "/%7Bid%7D").named("an unfilled path template").expect(404).outsideContract());
        rows.add(get("/nothing-here").named("a path no one serves").expect(404, BLANK).outsideContract());
        rows.add(get("/WEB-INF/web.xml").named("a servlet container's private folder").expect(404, BLANK)
                .outsideContract());
        return rows;
    }

    /**
     * A JSON operation's body abused in form: size, framing, media type, syntax. {@code example} is a
     * valid body for it, used where only the wrapping is wrong; {@code limit} is the operation's body
     * limit in bytes.
     */
    public static List<HostileRequest> jsonBody(String method, String path, String example, int limit) {
        List<HostileRequest> rows = new ArrayList<>();
        byte[] valid = example.getBytes(StandardCharsets.UTF_8);
        rows.add(request(method, path).named("a body one byte over the limit")
                .body(jsonOfSize(limit + 1), "application/json").expect(413, BLANK));
        rows.add(request(method, path).named("a chunked body over the limit")
                .body(jsonOfSize(limit + 64 * 1024), "application/json").chunked().expect(413, BLANK));
        rows.add(request(method, path).named("a body over the limit announced with Expect: 100-continue")
                .header("Expect", "100-continue").header("Content-Type", "application/json")
                .header("Content-Length", String.valueOf(limit + 1)).framedAsGiven().expect(413, BLANK));
        rows.add(request(method, path).named("a chunk size that is not hex").header("Transfer-Encoding", "chunked")
                .header("Content-Type", "application/json")
                .body("zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), null).framedAsGiven()
                .expect(400, BLANK));
        rows.add(request(method, path).named("a body shorter than its Content-Length")
                .header("Content-Type", "application/json").header("Content-Length", "500")
                .body("{\"url\":".getBytes(StandardCharsets.US_ASCII), null)
                .framedAsGiven().expect(400, BLANK));
        rows.add(request(method, path).named("gzip claimed, not gzip").header("Content-Encoding", "gzip")
                .body(valid, "application/json").expect(400, BLANK));
        rows.add(request(method, path).named("a gzip bomb (32 KiB inflating to 32 MiB)")
                .header("Content-Encoding", "gzip").body(gzipBomb(), "application/json").expect(413, BLANK));
        rows.add(request(method, path).named("text/plain").body(valid, "text/plain").expect(415, BLANK));
        rows.add(request(method, path).named("XML").body("<url>http://h:1</url>".getBytes(StandardCharsets.UTF_8),
                "application/xml").expect(415, BLANK));
        rows.add(request(method, path).named("a form")
                .body("url=http%3A%2F%2Fh%3A1".getBytes(StandardCharsets.US_ASCII), "application/x-www-form-urlencoded")
                .expect(415, BLANK));
        rows.add(request(method, path).named("multipart")
                .body(("--b\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttp://h:1\r\n--b--\r\n")
                        .getBytes(StandardCharsets.US_ASCII), "multipart/form-data; boundary=b")
                .expect(415, BLANK));
        rows.add(request(method, path).named("no Content-Type").body(valid, null).expect(415, BLANK));
        rows.add(request(method, path).named("a media type that is not one").body(valid, "json").expect(400, BLANK));
        rows.add(request(method, path).named("a JSON look-alike media type").body(valid, "application/jsonp")
                .expect(415, BLANK));
        rows.add(request(method, path).named("an answer only in HTML").header("Accept", "text/html")
                .body(valid, "application/json").expect(406, BLANK));
        rows.add(request(method, path).named("not JSON at all").json("url=http://h:1").expect(400, MALFORMED));
        rows.add(request(method, path).named("an unterminated object").json("{\"url\":").expect(400, MALFORMED));
        rows.add(request(method, path).named("a trailing comma").json(example.replaceFirst("}$", ",}"))
                .expect(400, MALFORMED));
        rows.add(request(method, path).named("single quotes").json(example.replace('"', '\''))
                .expect(400, MALFORMED));
        rows.add(request(method, path).named("a comment").json("/* hi */" + example).expect(400, MALFORMED));
        rows.add(request(method, path).named("two documents").json(example + example).expect(400, MALFORMED));
        rows.add(request(method, path).named("NaN").json("{\"x\":NaN}").expect(400, MALFORMED));
        rows.add(request(method, path).named("a raw NUL").json("{\"a\u0000\":1}").expect(400, MALFORMED));
        rows.add(request(method, path).named("bytes that are not UTF-8")
                .body(new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}, "application/json")
                .expect(400, MALFORMED));
        rows.add(request(method, path).named("a raw line break in a string").json("{\"a\nb\":1}")
                .expect(400, MALFORMED));
        rows.add(request(method, path).named("1001 nested arrays").json("[".repeat(1001) + "]".repeat(1001))
                .expect(422, INVALID_BODY).naming("body"));
        rows.add(request(method, path).named("a 2000-digit number").json("{\"x\":" + "9".repeat(2000) + "}")
                .expect(400, MALFORMED));
        rows.add(request(method, path).named("a top-level array").json("[]").expect(422, INVALID_BODY).naming("body"));
        rows.add(request(method, path).named("a top-level string").json("\"http://h:1\"").expect(422, INVALID_BODY)
                .naming("body"));
        rows.add(request(method, path).named("a top-level number").json("42").expect(422, INVALID_BODY).naming("body"));
        return rows;
    }

    /** Dropwizard's admin pages share the app's port: they get the same limits. */
    public static List<HostileRequest> admin() {
        List<HostileRequest> rows = new ArrayList<>();
        rows.add(post("/admin/tasks/gc").named("an admin task with a body over 64 KiB")
                .body(jsonOfSize(LIMIT + 1), "application/json").expect(413, BLANK).outsideContract());
        rows.add(post("/admin/tasks/gc").named("an admin task with a chunked body")
                .body(jsonOfSize(1_000), "application/json").chunked().expect(411, BLANK).outsideContract());
        rows.add(post("/admin/tasks/no-such-task").named("an admin task that does not exist").expect(404, BLANK)
                .outsideContract());
        rows.add(get("/admin/no-such-page").named("an admin page that does not exist").expect(404, BLANK)
                .outsideContract());
        rows.add(request("TRACE", "/admin/healthcheck").named("TRACE on an admin page").expect(405, BLANK)
                .outsideContract());
        rows.add(get("/admin/%2e%2e/%2e%2e/etc/passwd").named("climbing out of /admin").expect(400, BLANK)
                .outsideContract());
        return rows;
    }

    /** Urls the contract refuses, in {@code template} (a JSON body with one %s for the url). */
    public static List<HostileRequest> badUrls(String path, String template, String param) {
        List<HostileRequest> rows = new ArrayList<>();
        for (String url : List.of("ftp://files:21", "javascript:alert(1)", "file:///etc/passwd", "http://user:pw@h:1",
                "http://h@evil.example", "http://h:0", "http://h:65536", "/relative", "http://:80", "http://[::1",
                "http:// h", "http://h/\\u0000", "http://h/\\u001b[31m", "http://h/\\n{\\\"level\\\":\\\"ERROR\\\"}",
                "http://h/a|b", "http://h\\u2028", "HTTP://", "http://h/" + "x".repeat(2048), "gopher://h:70/_SET")) {
            rows.add(post(path).named("a url the contract refuses").json(String.format(template, "\"" + url + "\""))
                    .expect(422, INVALID_BODY).naming(param));
        }
        return rows;
    }

    /** Infos beyond the contract's limits, in {@code template} (a JSON body with one %s for the info). */
    public static List<HostileRequest> badInfos(String path, String template, String param) {
        List<HostileRequest> rows = new ArrayList<>();
        StringJoiner wide = new StringJoiner(",", "{", "}");
        for (int i = 0; i < 33; i++) {
            wide.add("\"k" + i + "\":" + i);
        }
        StringJoiner huge = new StringJoiner(",", "{", "}");
        for (int i = 0; i < 6_000; i++) {
            huge.add("\"k" + i + "\":1");
        }
        String[][] infos = {
                {"{\"display_name\":\"" + "n".repeat(257) + "\"}", ".display_name"},
                {"{\"display_name\":\"forged\\n{\\\"level\\\":\\\"ERROR\\\",\\\"message\\\":\\\"pwned\\\"}\"}",
                        ".display_name"},
                {"{\"display_name\":\"\\u001b[2J\\u001b[31mred\"}", ".display_name"},
                {"{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}", ".a.b.c.d"},
                {wide.toString(), ""},
                {"{\"" + "k".repeat(65) + "\":1}", ""},
                {"{\"s\":\"" + "v".repeat(1025) + "\"}", ".s"},
                {"{\"s\":\"a\\u0000b\"}", ".s"},
                {"\"text\"", ""},
                {"[1,2]", ""},
                {"42", ""},
                {"{\"display_name\":42}", ".display_name"},
                {"{\"s\":\"\\ud800\"}", ".s"},
                {"{\"n\":1e400}", ".n"},
                {"{\"list\":[" + "1,".repeat(32) + "1]}", ".list"},
                {huge.toString(), ""},
                {"{\"k\\u0007\":1}", ""},
                {"{\"display_name\":\"\"}", ".display_name"},
        };
        // Cut off inside one string, the failure reaches the app wrapped as a JSON error, not as I/O.
        rows.add(post(path).named("a chunked body over the limit inside one string")
                .json(String.format(template, "{\"padding\":\"" + "p".repeat(LIMIT) + "\"}")).chunked()
                .expect(413, BLANK));
        rows.add(post(path).named("info nested 10000 levels deep")
                .json(String.format(template, "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)))
                .expect(400, MALFORMED));
        for (String[] info : infos) {
            rows.add(post(path).named("info beyond the contract's limits").json(String.format(template, info[0]))
                    .expect(422, INVALID_BODY).naming(param + info[1]));
        }
        return rows;
    }

    /**
     * A JSON object of exactly {@code size} bytes, padded with whitespace: a parser must read all of it
     * before it finds any field to object to, so only a size limit can stop it.
     */
    public static byte[] jsonOfSize(int size) {
        byte[] json = new byte[size];
        java.util.Arrays.fill(json, (byte) ' ');
        json[0] = '{';
        json[size - 1] = '}';
        return json;
    }

    /** About 32 KiB of gzip that inflates to an empty JSON object padded with 32 MiB of spaces. */
    private static byte[] gzipBomb() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write('{');
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 32; i++) {
                gzip.write(spaces);
            }
            gzip.write('}');
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
