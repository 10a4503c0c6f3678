package dev.canopy.core.auth;

import java.util.Optional;

/**
 * What a request presented in its {@code Authorization} header, and the RFC 6750 challenge a refusal
 * answers with. Only the header is read: a key in the query string ({@code access_token}) would be
 * written to every request log, so it is not taken.
 */
public enum BearerChallenge {
    /** No Authorization header. */
    MISSING(null, "This operation needs a key: send Authorization: Bearer <key>"),
    /** A header that is not {@code Bearer <key>}. */
    MALFORMED("invalid_request", "The Authorization header must be Bearer <key>"),
    /** A Bearer key this app does not know. */
    UNKNOWN("invalid_token", "The key sent is not one this app knows");

    public static final String REALM = "canopy";
    private static final String SCHEME = "Bearer";

    private final String error;
    private final String detail;

    BearerChallenge(String error, String detail) {
        this.error = error;
        this.detail = detail;
    }

    /** The key in a {@code Bearer <key>} header; empty for no header or another form. */
    public static Optional<String> keyIn(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        if (space <= 0 || !trimmed.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return Optional.empty();
        }
        String key = trimmed.substring(space + 1).trim();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    /** The {@code WWW-Authenticate} value. */
    public String header() {
        return SCHEME + " realm=\"" + REALM + "\"" + (error == null ? "" : ", error=\"" + error + "\"");
    }

    public String detail() {
        return detail;
    }
}
