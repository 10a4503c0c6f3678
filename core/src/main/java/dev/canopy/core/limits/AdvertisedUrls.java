package dev.canopy.core.limits;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * What the contract's {@code HttpUrl} pattern cannot say about a registered url: that it parses as a
 * URI at all (RFC 3986), and that its authority is a host with at most a port from 1 to 65535. The
 * pattern already holds it to http or https, without credentials, whitespace or control characters.
 * Host names are not held to DNS syntax: compose service names with underscores are common.
 */
public final class AdvertisedUrls {
    private AdvertisedUrls() {
    }

    /** Why {@code url} is not one Canopy can store and hand out, or null if it is. */
    public static String problemWith(String url) {
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be a valid URL (RFC 3986); it has a character not allowed at index " + e.getIndex();
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return "must be an absolute http or https URL";
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            return "must name a host";
        }
        if (authority.contains("@")) {
            return "must not carry user credentials";
        }
        String port = portOf(authority);
        String host = port == null ? authority : authority.substring(0, authority.length() - port.length() - 1);
        if (host.isEmpty() || host.equals("[]")) {
            return "must name a host";
        }
        if (port != null && !validPort(port)) {
            return "must have a port from 1 to 65535, if any";
        }
        return null;
    }

    /** The text after the port colon, or null without one; an IPv6 literal's colons are not it. */
    private static String portOf(String authority) {
        int colon = authority.lastIndexOf(':');
        int bracket = authority.lastIndexOf(']');
        return colon > bracket ? authority.substring(colon + 1) : null;
    }

    private static boolean validPort(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int number = Integer.parseInt(port);
        return number >= 1 && number <= 65535;
    }
}
