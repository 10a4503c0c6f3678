package dev.canopy.core.limits;

import dev.canopy.api.model.InvalidParam;
import dev.canopy.core.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The contract's limits on a registration beyond what the generated models check: its url
 * ({@link AdvertisedUrls}) and its info ({@link InfoLimits}). Every body-taking operation that
 * stores a service or an orchestrator runs it before touching a registry.
 */
public final class RegistrationLimits {
    private RegistrationLimits() {
    }

    /** What breaks the limits, named under {@code prefix} (e.g. {@code body} or {@code body.services[2]}). */
    public static List<InvalidParam> violations(String prefix, String url, Map<String, Object> info) {
        List<InvalidParam> found = new ArrayList<>();
        String urlProblem = AdvertisedUrls.problemWith(url);
        if (urlProblem != null) {
            found.add(new InvalidParam(prefix + ".url", urlProblem));
        }
        found.addAll(InfoLimits.violations(prefix + ".info", info));
        return found;
    }

    /** Answers 422 naming each place, unless the registration in the body keeps the limits. */
    public static void require(String url, Map<String, Object> info) {
        requireNone(violations("body", url, info));
    }

    public static void requireNone(List<InvalidParam> violations) {
        if (!violations.isEmpty()) {
            throw ProblemException.invalidBody(violations);
        }
    }
}
