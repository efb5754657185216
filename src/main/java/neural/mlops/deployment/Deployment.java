package neural.mlops.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One deployment document (SPEC 2.2): a model version deployed to an environment at an endpoint.
 * Nullable fields are the ones a fresh deployment has not got yet.
 *
 * @param activatedAt   when it last became active, or null
 * @param deactivatedAt when it last stopped being active (deactivated, replaced, rolled back), or null
 * @param replaces      the id of the deployment it superseded when it was activated, or null
 * @param config        free-form settings; {@code health_path} is the path (or URL) the probe uses
 * @param health        the last probe, or null when it was never probed
 * @param history       every status change, oldest first
 * @param metadata      the original Python module's free-form map (SPEC 10), where its
 *                      {@code fail_deployment} keeps {@code failure_reason}; empty when none
 */
public record Deployment(
        String deploymentId,
        String modelName,
        String modelVersion,
        String environment,
        URI endpoint,
        DeploymentStatus status,
        Instant createdAt,
        String createdBy,
        Instant activatedAt,
        Instant deactivatedAt,
        String replaces,
        Map<String, Object> config,
        HealthCheck health,
        List<StatusChange> history,
        Map<String, Object> metadata) {

    /** The config key naming the health probe's path, resolved against the endpoint. */
    public static final String HEALTH_PATH = "health_path";

    /** The key of {@code metadata} under which a failure's reason is kept (SPEC 10). */
    public static final String FAILURE_REASON = "failure_reason";

    /** The endpoint of a deployment whose document has none (null in the original module's documents). */
    static final URI NO_ENDPOINT = URI.create("");

    public Deployment {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        // JSON config may hold nulls, which Map.copyOf refuses.
        config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
        history = history == null ? List.of() : List.copyOf(history);
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A deployment without the original module's {@code metadata}, as this product creates them. */
    public Deployment(String deploymentId, String modelName, String modelVersion, String environment, URI endpoint,
                      DeploymentStatus status, Instant createdAt, String createdBy, Instant activatedAt,
                      Instant deactivatedAt, String replaces, Map<String, Object> config, HealthCheck health,
                      List<StatusChange> history) {
        this(deploymentId, modelName, modelVersion, environment, endpoint, status, createdAt, createdBy, activatedAt,
                deactivatedAt, replaces, config, health, history, Map.of());
    }

    /** Why it failed: {@code metadata.failure_reason}, as the original's {@code fail_deployment} records it. */
    public Optional<String> failureReason() {
        Object reason = metadata.get(FAILURE_REASON);
        return reason == null ? Optional.empty() : Optional.of(reason.toString());
    }

    /** True when the document records no endpoint (the original module allows none). */
    public boolean hasEndpoint() {
        return !endpoint.toString().isEmpty();
    }

    public boolean isActive() {
        return status == DeploymentStatus.ACTIVE;
    }

    /** The last probe, if there was one. */
    public Optional<HealthCheck> lastHealth() {
        return Optional.ofNullable(health);
    }

    /** The URL the health probe calls: {@code config.health_path} resolved against the endpoint, else the endpoint. */
    public URI healthUrl() {
        return Endpoints.healthUrl(endpoint, config.get(HEALTH_PATH));
    }

    /** The document form of SPEC 2.2 (snake_case keys, UTC times), as written to disk. */
    public ObjectNode toJson() {
        return DeploymentJson.toJson(this);
    }
}
