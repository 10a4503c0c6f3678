package dev.canopy.parent.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.canopy.core.testing.CapturedOutput;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.EventStreamClient;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The auth: settings, each on a parent of its own: read keys, auth disabled, and no keys at all. */
class ParentAuthSettingsTest {
    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client client = TestClients.contractChecked(contract);
    private DropwizardTestSupport<ParentConfiguration> parent;

    @AfterEach
    void stop() {
        if (parent != null) {
            parent.after();
        }
        assertThat(contract.violations()).isEmpty();
        client.close();
    }

    @Test
    void withReadAccessKeyEveryReadTakesAReadOrAdminKey() throws Exception {
        start("auth.childKeys", TestKeys.CHILD, "auth.readAccess", "key", "auth.readKeys", TestKeys.READ,
                "auth.adminKeys", TestKeys.ADMIN);

        for (String path : List.of("/api/v1/hierarchy", "/api/v1/orchestrators", "/api/v1/services")) {
            Response anonymous = get(path, null);
            assertThat(anonymous.getStatus()).as(path).isEqualTo(401);
            assertThat(anonymous.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer realm=\"canopy\"");
            assertThat(get(path, TestKeys.READ).getStatus()).as(path).isEqualTo(200);
            assertThat(get(path, TestKeys.ADMIN).getStatus()).as(path).isEqualTo(200);
            assertThat(get(path, TestKeys.CHILD).getStatus()).as("a child key is no read key").isEqualTo(403);
        }
        assertThat(get("/health", null).getStatus()).as("health stays open").isEqualTo(200);

        // The event stream is a read like the others.
        Response anonymous = client.target(base() + "/api/v1/events").request("text/event-stream").get();
        assertThat(anonymous.getStatus()).isEqualTo(401);
        assertThat(anonymous.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer realm=\"canopy\"");
        assertThat(client.target(base() + "/api/v1/events").request("text/event-stream")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestKeys.CHILD).get().getStatus()).isEqualTo(403);
        for (String key : List.of(TestKeys.READ, TestKeys.ADMIN)) {
            try (EventStreamClient stream = EventStreamClient.open("parent", base() + "/api/v1/events",
                    Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + key))) {
                assertThat(stream.next(Duration.ofSeconds(10)).type()).isEqualTo("snapshot");
                assertThat(stream.problems()).isEmpty();
            }
        }
    }

    @Test
    void withAuthDisabledAnyoneMayChangeAnythingAndTheAppSaysSoAtStartUp() throws Exception {
        CapturedOutput output = CapturedOutput.start();
        try {
            start("auth.mode", "disabled");
        } finally {
            output.stop();
        }

        Response registered = client.target(base()).path("/api/v1/orchestrators/$register").request()
                .post(Entity.json("{\"url\":\"http://open:9001\",\"info\":{}}"));
        assertThat(registered.getStatus()).isEqualTo(201);
        try (Client raw = TestClients.raw()) {
            assertThat(raw.target(base() + "/admin/healthcheck").request().get().getStatus()).isEqualTo(200);
        }
        assertThat(output.text()).containsPattern("\"level\":\"WARN\".*\"event\":\"auth_disabled\"")
                .contains("Authentication is DISABLED");
    }

    @Test
    void refusesToStartWithoutAKeyAChildCouldRegisterWith() {
        Throwable refused = catchThrowable(() -> start("auth.readKeys", TestKeys.READ));
        assertThat(messages(refused)).contains("CANOPY_CHILD_KEYS").contains("CANOPY_AUTH=disabled");

        refused = catchThrowable(() -> start("auth.childKeys", TestKeys.CHILD, "auth.readAccess", "key"));
        assertThat(messages(refused)).contains("CANOPY_READ_KEYS");
    }

    @Test
    void refusesAMalformedKeyWithoutPrintingIt() {
        Throwable refused = catchThrowable(() -> start("auth.childKeys", TestKeys.CHILD + ",tooshort-secret"));
        assertThat(messages(refused)).contains("entry 2 of 2").contains("15 characters")
                .doesNotContain("tooshort-secret").doesNotContain(TestKeys.CHILD);
    }

    private void start(String... settings) throws Exception {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("settings", "server.connector.port", "0"),
                ConfigOverride.config("settings", "logging.level", "WARN")));
        for (int i = 0; i < settings.length; i += 2) {
            overrides.add(ConfigOverride.config("settings", settings[i], settings[i + 1]));
        }
        DropwizardTestSupport<ParentConfiguration> support = new DropwizardTestSupport<>(ParentApplication.class,
                "config.yml", "settings", overrides.toArray(ConfigOverride[]::new));
        try {
            support.before();
        } catch (Exception | Error e) {
            support.after();
            throw e;
        }
        parent = support;
    }

    private Response get(String path, String key) {
        var request = client.target(base() + path).request();
        return key == null ? request.get() : request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key).get();
    }

    private String base() {
        return "http://localhost:" + parent.getLocalPort();
    }

    private static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            all.append(cause).append('\n');
        }
        return all.toString();
    }
}
