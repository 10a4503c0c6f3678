package dev.canopy.core.testing.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators for fuzzing Canopy's APIs: random JSON trees of every type, strings from the whole of
 * UTF-16 (unpaired surrogates and control characters included), ids that are and are not ULIDs,
 * registration bodies whose every field is sometimes right, sometimes of a random type, sometimes
 * hostile and sometimes missing, and path segments to put them in.
 */
public final class FuzzArbitraries {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private FuzzArbitraries() {
    }

    /** Any string: short ones from all of UTF-16, known troublemakers, and some around the length limits. */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.strings().all().ofMaxLength(24)),
                Tuple.of(2, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(24)),
                Tuple.of(2, Arbitraries.of("", " ", "\u0000", "\n", "\r\n", "\u001b[31m", "\u2028", "\ud800", "\udfff",
                        "\u202e", "../../etc/passwd", "%2e%2e%2f", "${jndi:ldap://x/a}", "{{7*7}}", "<script>",
                        "\"}{\"level\":\"ERROR\"", "' OR 1=1 --", "\ufeff", "\uffff", "🙂", "null")),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1000).ofMaxLength(1100)));
    }

    /** A ULID, sometimes canonical, sometimes almost. */
    public static Arbitrary<String> ids() {
        Arbitrary<String> ulid = ulids();
        return Arbitraries.frequencyOf(
                Tuple.of(4, ulid),
                Tuple.of(1, ulid.map(id -> id.toLowerCase(java.util.Locale.ROOT))),
                Tuple.of(1, ulid.map(id -> id.substring(1))),
                Tuple.of(1, ulid.map(id -> "8" + id.substring(1))),
                Tuple.of(1, strings()));
    }

    /** Any JSON value: scalars of every type, and arrays and objects nested up to six deep. */
    public static Arbitrary<JsonNode> json() {
        return Arbitraries.recursive(FuzzArbitraries::scalars, FuzzArbitraries::containersOf, 0, 6);
    }

    private static Arbitrary<JsonNode> scalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(NODES.nullNode())),
                Tuple.of(1, Arbitraries.of(true, false).map(NODES::booleanNode)),
                Tuple.of(2, Arbitraries.longs().map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.integers().map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.doubles().map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(NODES::numberNode)),
                Tuple.of(4, strings().map(NODES::textNode)));
    }

    private static Arbitrary<JsonNode> containersOf(Arbitrary<JsonNode> element) {
        Arbitrary<JsonNode> arrays = element.list().ofMaxSize(5).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        Arbitrary<JsonNode> objects = Combinators.combine(strings(), element).as(Map::entry).list().ofMaxSize(5)
                .map(entries -> {
                    ObjectNode object = NODES.objectNode();
                    entries.forEach(entry -> object.set(entry.getKey(), entry.getValue()));
                    return object;
                });
        return Arbitraries.oneOf(element, arrays, objects);
    }

    /**
     * A field's value: usually {@code valid}, otherwise any JSON or a hostile string, or missing
     * (empty) altogether.
     */
    public static Arbitrary<Optional<JsonNode>> field(Arbitrary<JsonNode> valid) {
        return Arbitraries.frequencyOf(
                Tuple.of(12, valid.map(Optional::of)),
                Tuple.of(2, json().map(Optional::of)),
                Tuple.of(1, strings().map(text -> Optional.<JsonNode>of(NODES.textNode(text)))),
                Tuple.of(1, Arbitraries.just(Optional.<JsonNode>empty())));
    }

    /** A JSON object with these fields, each as {@link #field} makes it, and now and then one more, unknown. */
    public static Arbitrary<ObjectNode> objectOf(Map<String, Arbitrary<JsonNode>> fields) {
        List<Arbitrary<Map.Entry<String, Optional<JsonNode>>>> parts = new ArrayList<>();
        fields.forEach((name, valid) -> parts.add(field(valid).map(value -> Map.entry(name, value))));
        parts.add(Arbitraries.frequencyOf(
                Tuple.of(9, Arbitraries.just(Map.entry("", Optional.<JsonNode>empty()))),
                Tuple.of(1, Combinators.combine(strings(), json())
                        .as((name, value) -> Map.entry(name, Optional.of(value))))));
        return Combinators.combine(parts).as(entries -> {
            ObjectNode object = NODES.objectNode();
            entries.forEach(entry -> entry.getValue().ifPresent(value -> object.set(entry.getKey(), value)));
            return object;
        });
    }

    /** Valid-looking urls, and urls of every wrong kind. */
    public static Arbitrary<JsonNode> urls() {
        Arbitrary<String> hosts = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> good = Combinators.combine(Arbitraries.of("http", "https", "HTTP"), hosts,
                Arbitraries.integers().between(1, 65535))
                .as((scheme, host, port) -> scheme + "://" + host + ":" + port);
        Arbitrary<String> bad = Combinators.combine(Arbitraries.of("ftp://", "http://", "http://u:p@", "//", "http:/"),
                strings(), Arbitraries.of("", ":0", ":99999", "/a b", "#\u0000")).as((a, b, c) -> a + b + c);
        return Arbitraries.frequencyOf(Tuple.of(4, good), Tuple.of(1, bad)).map(NODES::textNode);
    }

    /**
     * Info objects: small ones within the contract's limits, objects of random keys and random values
     * of any type and depth, and ones whose display_name is a random string.
     */
    public static Arbitrary<JsonNode> infos() {
        Arbitrary<JsonNode> plain = Combinators.combine(
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(30),
                Arbitraries.strings().numeric().ofMaxLength(5)).as((name, version) -> {
                    ObjectNode info = NODES.objectNode();
                    info.put("display_name", name);
                    info.put("version", version);
                    return info;
                });
        Arbitrary<JsonNode> random = Combinators.combine(strings(), json()).as(Map::entry).list().ofMaxSize(6)
                .map(entries -> {
                    ObjectNode info = NODES.objectNode();
                    entries.forEach(entry -> info.set(entry.getKey(), entry.getValue()));
                    return info;
                });
        Arbitrary<JsonNode> named = Combinators.combine(plain, strings()).as((info, name) -> {
            ((ObjectNode) info).put("display_name", name);
            return info;
        });
        return Arbitraries.frequencyOf(Tuple.of(2, plain), Tuple.of(3, random), Tuple.of(1, named));
    }

    /** Ids for a field that holds one: mostly canonical ULIDs, now and then anything. */
    public static Arbitrary<JsonNode> idFields() {
        return Arbitraries.frequencyOf(Tuple.of(5, ulids()), Tuple.of(1, ids())).map(NODES::textNode);
    }

    private static Arbitrary<String> ulids() {
        return Arbitraries.strings().withChars(CROCKFORD.toCharArray()).ofLength(25).map(tail -> "0" + tail);
    }

    public static Arbitrary<JsonNode> labels() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10).map(NODES::textNode);
    }

    /** A path segment carrying {@code text}: percent-encoded as UTF-8, or raw where it is printable ASCII. */
    public static Arbitrary<String> segments() {
        Arbitrary<String> encoded = Arbitraries.oneOf(ids(), strings()).map(FuzzArbitraries::percentEncode);
        Arbitrary<String> raw = Arbitraries.strings().withChars("abcXYZ019-._~!$&'()*+,;=:@%").ofMinLength(1)
                .ofMaxLength(30);
        return Arbitraries.frequencyOf(Tuple.of(3, encoded), Tuple.of(1, raw), Tuple.of(2, ids()));
    }

    static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
