package dev.canopy.core.upstream;

import java.net.URI;
import java.net.URISyntaxException;

/** Base URLs of upstream orchestrators, from the forms people actually write in configuration. */
public final class UpstreamUrls {
    private UpstreamUrls() {
    }

    /**
     * The base URL (scheme, host, port and any context path, without a trailing slash) from a URL
     * that may end in one of {@code suffixes}. Each suffix is tried with and without a trailing slash.
     */
    public static String baseOf(String url, String... suffixes) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("an upstream URL is required");
        }
        String base = url.trim();
        boolean stripped = true;
        while (stripped) {
            stripped = false;
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            for (String suffix : suffixes) {
                if (base.endsWith(suffix)) {
                    base = base.substring(0, base.length() - suffix.length());
                    stripped = true;
                }
            }
        }
        try {
            URI uri = new URI(base);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("not an absolute http(s) URL: " + url);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url, e);
        }
        return base;
    }
}
