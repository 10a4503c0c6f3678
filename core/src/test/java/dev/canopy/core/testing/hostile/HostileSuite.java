package dev.canopy.core.testing.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.core.testing.OpenApiContract;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs hostile rows against one app and holds each answer to the same standard: exactly the status
 * the row expects, never a 5xx, an {@code application/problem+json} body whose {@code status} agrees
 * (of the contract's operation, when the request is one), the app's registries byte for byte what they
 * were, and the app as healthy as before. Every answer is counted in {@link #figures()}, failed or not.
 */
public final class HostileSuite {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SuiteClient client;
    private final OpenApiContract contract;
    private final Supplier<String> state;
    private final Figures figures;
    private final String health;

    /**
     * @param state a full dump of what the app holds, read through {@code client}: compared before and after each row
     */
    public HostileSuite(String app, String document, SuiteClient client, Supplier<String> state) {
        this.client = client;
        this.contract = OpenApiContract.of(document);
        this.state = state;
        this.figures = new Figures(app);
        this.health = healthState();
        assertThat(health).as("the app's health before the run").startsWith("200 ");
    }

    public Figures figures() {
        return figures;
    }

    /** Sends {@code row} and checks everything a rejected request must leave as it was. */
    public void check(HostileRequest row) {
        String before = state.get();
        RawHttp.Answer answer = client.send(row);
        figures.answered(answer.status());
        List<String> failures = new ArrayList<>();

        if (answer.status() >= 500) {
            failures.add("answered " + answer.status() + ", a server error");
        }
        if (answer.status() != row.status()) {
            failures.add("answered " + answer.status() + ", expected " + row.status());
        }
        failures.addAll(problemFailures(row, answer));
        if (row.inContract()) {
            figures.contractChecked();
            failures.addAll(contract.violations(row.method(), row.path(), answer.status(),
                    answer.header("content-type"), answer.text(), answer.headers()));
        }
        String after = state.get();
        if (!after.equals(before)) {
            figures.stateChanged();
            failures.add("changed the registry:\n    before " + before + "\n    after  " + after);
        }
        String healthAfter = healthState();
        if (!healthAfter.equals(health)) {
            figures.unhealthy();
            failures.add("left the app " + healthAfter + ", it was " + health);
        }
        assertThat(failures).as("%s\n  answer: %s %s", row, answer.status(), clip(answer.text())).isEmpty();
    }

    private List<String> problemFailures(HostileRequest row, RawHttp.Answer answer) {
        List<String> failures = new ArrayList<>();
        if (!"application/problem+json".equals(answer.mediaType())) {
            figures.notAProblem();
            failures.add("answered " + answer.mediaType() + ", not application/problem+json");
            return failures;
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(answer.body());
        } catch (IOException e) {
            failures.add("answered a problem that is not JSON: " + e.getMessage());
            return failures;
        }
        if (problem == null || !problem.isObject()) {
            failures.add("answered a problem that is not a JSON object");
            return failures;
        }
        if (problem.path("status").asInt() != answer.status()) {
            failures.add("problem.status " + problem.path("status") + " disagrees with the answer's "
                    + answer.status());
        }
        if (problem.path("title").asText("").isBlank() || problem.path("type").asText("").isBlank()) {
            failures.add("problem without a type or title");
        }
        if (row.type() != null && !row.type().equals(problem.path("type").asText())) {
            failures.add("problem.type " + problem.path("type") + ", expected " + row.type());
        }
        if (row.param() != null) {
            List<String> names = new ArrayList<>();
            problem.path("invalid_params").forEach(param -> names.add(param.path("name").asText()));
            if (!names.contains(row.param())) {
                failures.add("invalid_params " + names + " does not name " + row.param());
            }
        }
        return failures;
    }

    private String healthState() {
        RawHttp.Answer answer = client.get("/health");
        try {
            return answer.status() + " " + JSON.readTree(answer.body()).path("status").asText();
        } catch (IOException e) {
            return answer.status() + " (unreadable)";
        }
    }

    private static String clip(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }
}
