package dev.canopy.child.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.ParentAndChild;
import dev.canopy.core.testing.hostile.CredentialHeaders;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.core.testing.hostile.HostileRequest;
import dev.canopy.core.testing.hostile.RawHttp;
import dev.canopy.core.testing.hostile.SuiteClient;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.output.TeeOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Input built to forge log lines (line breaks, JSON of its own, ANSI escapes) reaches the logs of a
 * child and of its parent, application log and request log alike, only as values inside fields: every
 * line the two apps write stays exactly one JSON object, and no forged line appears.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LogInjectionTest {
    private static final ParentAndChild APPS = new ParentAndChild()
            .parentConfig("auth.childKeys", TestKeys.CHILD + "," + TestKeys.OTHER_CHILD)
            .childConfig("region", "us-east");
    private static final int PARENT_PORT = APPS.parentPort();

    static final DropwizardAppExtension<ParentConfiguration> PARENT = APPS.parent();
    static final DropwizardAppExtension<ChildConfiguration> CHILD = APPS.child();

    private static final String FORGED = "{\"level\":\"ERROR\",\"logger\":\"forged\",\"message\":\"forged\"}";
    /** A url the contract accepts, as hostile as it allows: percent-escaped line breaks, ANSI and JSON. */
    private static final String URL = "http://inject.example:8080/a%0D%0A%1B%5B31m%7B%22level%22:%22ERROR%22%7D'$x";
    private static final ObjectReader ONE_OBJECT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readerFor(ObjectNode.class);

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;
    private SuiteClient child;

    @BeforeEach
    void captureTheConsole() {
        child = new SuiteClient(CHILD.getLocalPort(), CredentialHeaders.TEST_KEYS);
        await().atMost(Duration.ofSeconds(20)).until(() -> !child.get("/services/info/orchestrator").text()
                .contains("\"orchestrator_id\":null"));
        // Both apps log to the console; Logback writes to whatever System.out is at the time.
        original = System.out;
        System.setOut(new PrintStream(new TeeOutputStream(original, captured), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheConsole() {
        System.setOut(original);
    }

    @Test
    void everyLineStaysOneJsonObjectAndNothingIsForged() {
        String displayName = "\"}" + FORGED + "{\"";
        // Line breaks are text in info, so they are stored; escape characters are refused (below).
        String notes = "line one\nline two\r\n" + FORGED + "\n";
        RawHttp.Answer accepted = child.sendJson("POST", "/services/$register", "{\"url\":\"" + URL + "\",\"info\":{"
                + "\"display_name\":" + quote(displayName) + ",\"notes\":" + quote(notes) + "}}");
        assertThat(accepted.status()).isEqualTo(201);
        RawHttp.Answer refused = child.sendJson("POST", "/services/$register", "{\"url\":\"http://h:1\",\"info\":{"
                + "\"display_name\":" + quote("x\n" + FORGED) + ",\"notes\":" + quote("\u001b[2J\u001b[31mred") + "}}");
        assertThat(refused.status()).isEqualTo(422);
        child.send(HostileRequest.get("/services/%0D%0A" + "%7B%22level%22%3A%22ERROR%22%7D%1B%5B31m")
                .header("User-Agent", FORGED + " \u00ff\u0080").header("Referer", "\"},{\"x\":\"" + FORGED));
        child.send(HostileRequest.get("/services").header("X-Ansi", "\u001b[31m" + FORGED));
        child.send(HostileRequest.get("/services").header("User-Agent", "\"}" + FORGED + " \u00ff"));
        child.send(HostileRequest.post("/services/$register").json("{\"url\":\"http://h:1\"}\n" + FORGED));

        // The child logs the registration, the parent the forward; the request logs the rest.
        await().atMost(Duration.ofSeconds(20)).until(() -> lines().stream()
                .filter(line -> line.contains("\"event\":\"service_registered\"") && line.contains("inject.example"))
                .count() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines().stream()
                .anyMatch(line -> line.contains("\"userAgent\"") && line.contains("forged")));

        List<JsonNode> objects = new ArrayList<>();
        for (String line : lines()) {
            objects.add(parseAsOneObject(line));
        }
        assertThat(new String(captured.toByteArray(), StandardCharsets.UTF_8)).doesNotContain("\u001b")
                .doesNotContain("\r");
        assertThat(objects).noneMatch(line -> "forged".equals(line.path("message").asText())
                || "forged".equals(line.path("logger").asText()));
        assertThat(objects).filteredOn(line -> "service_registered".equals(line.path("event").asText()))
                .extracting(line -> line.path("url").asText()).containsOnly(URL);
        assertThat(objects).as("request log lines").anyMatch(line -> line.toString().contains("%0D%0A"))
                .anyMatch(line -> line.toString().contains("forged"));
    }

    /** The lines captured so far, each the whole of one log event. */
    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (String line : new String(captured.toByteArray(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static JsonNode parseAsOneObject(String line) {
        try {
            return ONE_OBJECT.readValue(line);
        } catch (IOException e) {
            throw new AssertionError("A log line that is not exactly one JSON object:\n" + line, e);
        }
    }

    private static String quote(String text) {
        try {
            return new ObjectMapper().writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
