package dev.canopy.core.validation;

import dev.canopy.core.Ids;
import jakarta.validation.constraints.Pattern;
import java.util.function.Predicate;

/**
 * The contract's commonest {@code @Pattern}s, checked by hand: an id (api-spec's {@code Ulid}) and a
 * url ({@code HttpUrl}), which every registration, every forwarded change and every path id carries.
 * {@link java.util.regex.Pattern} tests such character classes one predicate at a time: the url's
 * alone was 3 µs of a registration at a child, and the parent paid it again for each change of a
 * forwarded batch (docs/performance.md, "Registration, third pass"). Each check answers exactly as its
 * expression does; any other pattern is compiled as Hibernate Validator compiles it.
 */
public final class ContractPatterns {
    /** api-spec's {@code HttpUrl}, as the generator writes it into every {@code @Pattern} on a url. */
    public static final String HTTP_URL = "^[hH][tT][tT][pP][sS]?://[^\\s/?#@\\x00-\\x1F\\x7F]+([/?#][^\\s\\x00-\\x1F\\x7F]*)?$";

    private ContractPatterns() {
    }

    /** What decides whether a value matches {@code pattern}, as {@code Matcher.matches()} would. */
    public static Predicate<String> matcher(Pattern pattern) {
        Predicate<String> handWritten = handWritten(pattern);
        if (handWritten != null) {
            return handWritten;
        }
        int flags = 0;
        for (Pattern.Flag flag : pattern.flags()) {
            flags |= flag.getValue();
        }
        return java.util.regex.Pattern.compile(pattern.regexp(), flags).asMatchPredicate();
    }

    /** The check by hand of {@code pattern}, or null for a pattern this class does not know. */
    public static Predicate<String> handWritten(Pattern pattern) {
        if (pattern.flags().length > 0) {
            return null;
        }
        if (pattern.regexp().equals(Ids.PATTERN)) {
            return Ids::isUlid;
        }
        return pattern.regexp().equals(HTTP_URL) ? ContractPatterns::isHttpUrl : null;
    }

    /**
     * {@link #HTTP_URL} by hand: {@code http://} or {@code https://} in any case, a host part of at least
     * one character that is none of white space, {@code / ? # @} and the control characters, then
     * nothing, or one of {@code / ? #} and anything without white space or control characters. The
     * expression's classes take any other character, beyond ASCII too, as this does char by char.
     */
    public static boolean isHttpUrl(String candidate) {
        if (candidate == null || candidate.length() < 8 || !isAsciiIgnoringCase(candidate, 0, "http")) {
            return false;
        }
        int at = 4;
        if (candidate.charAt(at) == 's' || candidate.charAt(at) == 'S') {
            at++;
        }
        if (!candidate.startsWith("://", at)) {
            return false;
        }
        at += 3;
        int hostStart = at;
        int length = candidate.length();
        while (at < length && isHostChar(candidate.charAt(at))) {
            at++;
        }
        if (at == hostStart) {
            return false;
        }
        if (at == length) {
            return true;
        }
        char separator = candidate.charAt(at);
        if (separator != '/' && separator != '?' && separator != '#') {
            return false;
        }
        for (at++; at < length; at++) {
            if (isSpaceOrControl(candidate.charAt(at))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiIgnoringCase(String candidate, int from, String lowerCase) {
        for (int i = 0; i < lowerCase.length(); i++) {
            char c = candidate.charAt(from + i);
            if (c != lowerCase.charAt(i) && c != Character.toUpperCase(lowerCase.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHostChar(char c) {
        return !isSpaceOrControl(c) && c != '/' && c != '?' && c != '#' && c != '@';
    }

    /** {@code \s} (space, tab, line feed, vertical tab, form feed, return) and {@code \x00-\x1F\x7F}. */
    private static boolean isSpaceOrControl(char c) {
        return c <= ' ' || c == 0x7F;
    }
}
