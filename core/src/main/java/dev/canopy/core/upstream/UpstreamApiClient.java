package dev.canopy.core.upstream;

import dev.canopy.client.invoker.ApiClient;
import jakarta.ws.rs.client.Client;

/**
 * The generated client, on the HTTP client it is given only. The generated constructor would build a
 * default Jersey client first (its own providers, Jackson feature and connector), to be thrown away at
 * once for the Dropwizard one: start-up work for nothing.
 */
final class UpstreamApiClient extends ApiClient {
    /** Keeps the client it has: null while the generated constructor runs, until {@code setHttpClient}. */
    @Override
    protected Client buildHttpClient() {
        return httpClient;
    }
}
