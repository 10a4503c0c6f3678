package dev.canopy.core.testing.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.core.testing.OpenApiContract;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The assertions of a fuzz run, for requests whose answer nobody wrote down: never a 5xx; every 4xx a
 * problem+json whose status agrees, and the app's state exactly as before it; every answer to an
 * operation of the contract as the contract says; whatever was accepted still within the contract's
 * limits once stored ({@code stored} lists what breaks them); the app as healthy as before.
 */
public final class FuzzCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SuiteClient client;
    private final OpenApiContract contract;
    private final Supplier<String> state;
    private final Function<String, List<String>> stored;
    private final Figures figures;
    private final String health;

    public FuzzCheck(String name, String document, SuiteClient client, Supplier<String> state,
                     Function<String, List<String>> stored) {
        this.client = client;
        this.contract = OpenApiContract.of(document);
        this.state = state;
        this.stored = stored;
        this.figures = new Figures(name);
        this.health = client.get("/health").status() + "";
        assertThat(health).isEqualTo("200");
    }

    public Figures figures() {
        return figures;
    }

    public void check(HostileRequest request) {
        String before = state.get();
        RawHttp.Answer answer = client.send(request);
        figures.answered(answer.status());
        List<String> failures = new ArrayList<>();
        if (answer.status() >= 500) {
            failures.add("answered " + answer.status() + ", a server error");
        }
        if (answer.status() >= 400) {
            failures.addAll(problemFailures(answer));
            String after = state.get();
            if (!after.equals(before)) {
                figures.stateChanged();
                failures.add("a refused request changed the state:\n    before " + before + "\n    after  " + after);
            }
        } else {
            failures.addAll(stored.apply(state.get()));
        }
        if (request.inContract()) {
            figures.contractChecked();
            failures.addAll(contract.violations(request.method(), request.path(), answer.status(),
                    answer.header("content-type"), answer.text(), answer.headers()));
        }
        int healthAfter = client.get("/health").status();
        if (!String.valueOf(healthAfter).equals(health)) {
            figures.unhealthy();
            failures.add("health answered " + healthAfter);
        }
        assertThat(failures).as("%s %s\n  body: %s\n  answer: %s %s", request.method(), request.target(),
                new String(request.body(), java.nio.charset.StandardCharsets.UTF_8), answer.status(), answer.text())
                .isEmpty();
    }

    private List<String> problemFailures(RawHttp.Answer answer) {
        if (!"application/problem+json".equals(answer.mediaType())) {
            figures.notAProblem();
            return List.of("answered " + answer.mediaType() + ", not application/problem+json");
        }
        try {
            JsonNode problem = JSON.readTree(answer.body());
            if (problem == null || problem.path("status").asInt() != answer.status()) {
                return List.of("a problem whose status disagrees with the answer's");
            }
            return List.of();
        } catch (IOException e) {
            return List.of("a problem that is not JSON");
        }
    }
}
