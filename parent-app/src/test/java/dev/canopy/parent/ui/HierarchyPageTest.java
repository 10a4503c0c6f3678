package dev.canopy.parent.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.client.ClientProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hierarchy page's files as the parent serves them, with reads needing a key: the page itself is
 * open (it asks for the key), and every answer under {@code /ui/} carries the security headers.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HierarchyPageTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.childKeys", TestKeys.CHILD),
            ConfigOverride.config("auth.readAccess", "key"),
            ConfigOverride.config("auth.readKeys", TestKeys.READ),
            ConfigOverride.config("logging.level", "WARN"));

    private final Client raw = TestClients.raw().property(ClientProperties.FOLLOW_REDIRECTS, false);

    @AfterEach
    void close() {
        raw.close();
    }

    @Test
    void thePageIsServedWithoutAKeyEvenWhenReadsNeedOne() {
        Response page = get("/ui/");

        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getMediaType().toString()).startsWith("text/html");
        assertSecurityHeaders(page);
        String html = page.readEntity(String.class);
        assertThat(html).contains("<script type=\"module\" src=\"/ui/app.js\"></script>", "href=\"/ui/style.css\"");
        // The CSP forbids inline script; a page that had some would break, so there is none.
        assertThat(scriptTags(html)).allSatisfy(tag -> assertThat(tag).contains(" src="));
        assertThat(get("/api/v1/hierarchy").getStatus()).as("while the data it shows needs a key").isEqualTo(401);
    }

    @ParameterizedTest
    @CsvSource({
        "/ui/app.js, text/javascript",
        "/ui/style.css, text/css",
        "/ui/icon.svg, image/svg+xml",
        "/ui/index.html, text/html"})
    void everyFileIsServedWithItsTypeAndTheHeaders(String path, String type) {
        Response file = get(path);

        assertThat(file.getStatus()).isEqualTo(200);
        assertThat(file.getMediaType().toString()).startsWith(type);
        assertSecurityHeaders(file);
        assertThat(file.readEntity(String.class)).isNotBlank();
    }

    @Test
    void theScriptNeverTurnsDataIntoMarkup() {
        String script = get("/ui/app.js").readEntity(String.class);

        assertThat(script).contains("textContent", "/api/v1/events", "Last-Event-ID", "Authorization");
        assertThat(script).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                "eval(", "new Function", "localStorage");
    }

    @Test
    void withoutTheSlashItIsTheSamePage() {
        Response page = get("/ui");

        assertThat(page.getStatus()).isEqualTo(200);
        assertSecurityHeaders(page);
        // Its files are named from the root, so they load from /ui as well as from /ui/.
        assertThat(page.readEntity(String.class)).contains("src=\"/ui/app.js\"").doesNotContain("src=\"app.js\"");
    }

    @Test
    void aMissingFileIsA404AndNothingClimbsOut() {
        Response missing = get("/ui/nothing-here.js");
        assertThat(missing.getStatus()).isEqualTo(404);

        assertThat(get("/ui/%2e%2e/%2e%2e/config.yml").getStatus()).isEqualTo(400);
        assertThat(get("/ui/../dev/canopy/core/version.properties").getStatus()).isIn(400, 404);
        assertThat(raw.target(base() + "/ui/index.html").request().put(Entity.json("{}")).getStatus())
                .isEqualTo(405);
    }

    private static void assertSecurityHeaders(Response response) {
        assertThat(response.getHeaderString("Content-Security-Policy"))
                .isEqualTo(PageSecurityHeaders.CONTENT_SECURITY_POLICY)
                .startsWith("default-src 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(response.getHeaderString("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.getHeaderString("Referrer-Policy")).isEqualTo("no-referrer");
    }

    private static List<String> scriptTags(String html) {
        Matcher matcher = Pattern.compile("<script\\b[^>]*>").matcher(html);
        List<String> tags = new java.util.ArrayList<>();
        while (matcher.find()) {
            tags.add(matcher.group());
        }
        assertThat(tags).as("script tags in the page").isNotEmpty();
        return tags;
    }

    private Response get(String path) {
        return raw.target(base() + path).request().get();
    }

    private static String base() {
        return "http://localhost:" + APP.getLocalPort();
    }
}
