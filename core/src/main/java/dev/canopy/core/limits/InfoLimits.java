package dev.canopy.core.limits;

import dev.canopy.api.model.InvalidParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The limits the contract sets on a registrant's free-form {@code info} (see the {@code Info} schema):
 * what its schema can say ({@code maxProperties} at the top) the generated models check; the rest,
 * which JSON Schema in OpenAPI 3.0 cannot express for a free-form tree, is checked here.
 *
 * <p>Why: {@code info} is stored, listed, forwarded to the parent and hashed into digests, so its size
 * and shape are what every reader pays for; depth bounds the recursion of everyone who walks it; and
 * only text is stored, so a key or string cannot carry control characters into a terminal, or an
 * unpaired surrogate that no JSON writer can encode. A non-finite number ({@code 1e400} parses as
 * infinity) would be written back as a string, so a child and its parent would never agree on it.
 */
public final class InfoLimits {
    public static final int MAX_ENTRIES = 32;
    public static final int MAX_DEPTH = 4;
    public static final int MAX_KEY_LENGTH = 64;
    public static final int MAX_STRING_LENGTH = 1024;
    public static final int MAX_DISPLAY_NAME_LENGTH = 256;
    /** Enough to say what is wrong without answering a hostile body with a list as long as itself. */
    private static final int MAX_REPORTED = 10;

    private InfoLimits() {
    }

    /** What breaks the limits in {@code info}, named from {@code name} (e.g. {@code body.info}); empty if nothing. */
    public static List<InvalidParam> violations(String name, Map<String, Object> info) {
        List<InvalidParam> found = new ArrayList<>();
        if (info == null) {
            return found;
        }
        visit(name, info, 1, found);
        Object displayName = info.get("display_name");
        if (displayName != null) {
            String reason = displayNameProblem(displayName);
            if (reason != null) {
                found.add(new InvalidParam(name + ".display_name", reason));
            }
        }
        if (found.size() > MAX_REPORTED) {
            int more = found.size() - MAX_REPORTED;
            found.subList(MAX_REPORTED, found.size()).clear();
            found.add(new InvalidParam(name, "breaks " + more + " more limits"));
        }
        return found;
    }

    private static void visit(String name, Object value, int depth, List<InvalidParam> found) {
        if (found.size() > MAX_REPORTED) {
            return;
        }
        if (value instanceof Map<?, ?> object) {
            if (!withinDepth(name, depth, found)) {
                return;
            }
            if (object.size() > MAX_ENTRIES) {
                found.add(new InvalidParam(name,
                        "has " + object.size() + " keys; at most " + MAX_ENTRIES + " are allowed"));
            }
            for (Map.Entry<?, ?> entry : object.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String keyProblem = keyProblem(key);
                if (keyProblem != null) {
                    // The key itself is the problem: named by where it is, not echoed.
                    found.add(new InvalidParam(name, keyProblem));
                    continue;
                }
                visit(name + "." + key, entry.getValue(), depth + 1, found);
            }
        } else if (value instanceof List<?> array) {
            if (!withinDepth(name, depth, found)) {
                return;
            }
            if (array.size() > MAX_ENTRIES) {
                found.add(new InvalidParam(name,
                        "has " + array.size() + " items; at most " + MAX_ENTRIES + " are allowed"));
            }
            for (int i = 0; i < array.size(); i++) {
                visit(name + "[" + i + "]", array.get(i), depth + 1, found);
            }
        } else if (value instanceof String text) {
            String reason = stringProblem(text, MAX_STRING_LENGTH, false);
            if (reason != null) {
                found.add(new InvalidParam(name, reason));
            }
        } else if (value instanceof Double number && !Double.isFinite(number)
                || value instanceof Float single && !Float.isFinite(single)) {
            found.add(new InvalidParam(name, "must be a finite number"));
        }
    }

    private static boolean withinDepth(String name, int depth, List<InvalidParam> found) {
        if (depth > MAX_DEPTH) {
            found.add(new InvalidParam(name, "is nested too deep: info may hold objects and arrays at most "
                    + MAX_DEPTH + " levels deep"));
            return false;
        }
        return true;
    }

    private static String keyProblem(String key) {
        if (key.isEmpty()) {
            return "has an empty key; keys are 1 to " + MAX_KEY_LENGTH + " characters";
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return "has a key of " + key.length() + " characters; keys are at most " + MAX_KEY_LENGTH;
        }
        if (!isText(key, false)) {
            return "has a key with control characters or an unpaired surrogate; keys must be plain text";
        }
        return null;
    }

    private static String displayNameProblem(Object displayName) {
        if (!(displayName instanceof String text)) {
            return "must be a string";
        }
        if (text.isEmpty()) {
            return "must not be empty";
        }
        return stringProblem(text, MAX_DISPLAY_NAME_LENGTH, true);
    }

    private static String stringProblem(String text, int maxLength, boolean oneLine) {
        if (text.length() > maxLength) {
            return "is " + text.length() + " characters long; at most " + maxLength + " are allowed";
        }
        if (!isText(text, !oneLine)) {
            return oneLine
                    ? "must be one line of text, without control characters or unpaired surrogates"
                    : "must be text, without control characters (other than tab and line breaks) or unpaired"
                            + " surrogates";
        }
        return null;
    }

    /** No control characters (tab, LF and CR only where {@code lineBreaks}), and no unpaired surrogate. */
    static boolean isText(String text, boolean lineBreaks) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            } else if (Character.getType(c) == Character.CONTROL
                    && !(lineBreaks && (c == '\t' || c == '\n' || c == '\r'))) {
                return false;
            }
        }
        return true;
    }
}
