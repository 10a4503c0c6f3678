package dev.canopy.core.openapi;

import dev.canopy.core.CanopyVersion;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.nio.charset.StandardCharsets;

/**
 * Serves the app's own OpenAPI document at {@code /openapi/<name>.yaml} and Swagger UI at
 * {@code /swagger-ui/}, pointed at that document. The document's server is relative ({@code /}), so
 * "Try it out" calls whichever host and port the page was loaded from.
 */
public final class OpenApiBundle implements ConfiguredBundle<Configuration> {
    public static final String YAML = "application/yaml";
    private static final String UI_PATH = "/swagger-ui";

    private final String document;

    public OpenApiBundle(String document) {
        this.document = document;
    }

    public static String documentPath(String document) {
        return "/openapi/" + document + ".yaml";
    }

    @Override
    public void initialize(Bootstrap<?> bootstrap) {
        bootstrap.addBundle(new AssetsBundle("/META-INF/resources/webjars/swagger-ui/" + CanopyVersion.swaggerUi(),
                UI_PATH, "index.html", "swagger-ui"));
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
        String path = documentPath(document);
        environment.servlets().addServlet("openapi-document", new ClasspathDocumentServlet(path, YAML))
                .addMapping(path);
        // An exact mapping wins over the assets' prefix mapping: the webjar's own initializer
        // would load the Petstore example.
        environment.servlets().addServlet("swagger-ui-initializer",
                        new ClasspathDocumentServlet(initializer(path).getBytes(StandardCharsets.UTF_8),
                                "application/javascript"))
                .addMapping(UI_PATH + "/swagger-initializer.js");
    }

    private static String initializer(String documentPath) {
        return """
                window.onload = function () {
                  window.ui = SwaggerUIBundle({
                    url: "%s",
                    dom_id: "#swagger-ui",
                    deepLinking: true,
                    showExtensions: true,
                    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
                    layout: "StandaloneLayout"
                  });
                };
                """.formatted(documentPath);
    }
}
