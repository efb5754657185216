package neural.mlops.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * The last probe of a deployment's endpoint (SPEC 2.2 {@code health}). A probe that got an answer
 * has a {@code statusCode} and a {@code latencyMs}; one that got none (refused, timed out) has an
 * {@code error} instead. {@code ok} means a 2xx answer. A redirect has both: its status and, as
 * the error, where it points (redirects are not followed).
 *
 * @param statusCode the HTTP status, or null when no answer came
 * @param latencyMs  milliseconds until the whole answer arrived, or null when none came
 * @param error      why the probe got no answer, or where a redirect points; null for any other answer
 */
public record HealthCheck(Instant checkedAt, boolean ok, Integer statusCode, Long latencyMs, String error) {

    public HealthCheck {
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    /** One line for people: {@code HTTP 200 in 12 ms}, {@code HTTP 302 in 3 ms: redirected to ...}, or the error. */
    public String summary() {
        if (statusCode != null) {
            return "HTTP " + statusCode + (latencyMs == null ? "" : " in " + latencyMs + " ms")
                    + (error == null ? "" : ": " + error);
        }
        return error == null ? "no answer" : error;
    }

    /** The document form of SPEC 2.2 ({@code checked_at, ok, status_code, latency_ms, error}). */
    public ObjectNode toJson() {
        return DeploymentJson.health(this);
    }
}
