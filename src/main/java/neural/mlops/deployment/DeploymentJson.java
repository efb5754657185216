package neural.mlops.deployment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/**
 * The JSON form of a deployment document (SPEC 2.2), both ways. Reading is strict about the fields
 * the tracker relies on and tolerant of everything else, which it leaves alone.
 */
final class DeploymentJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private DeploymentJson() {
    }

    static ObjectNode toJson(Deployment deployment) {
        ObjectNode node = NODES.objectNode();
        node.put("deployment_id", deployment.deploymentId());
        node.put("model_name", deployment.modelName());
        node.put("model_version", deployment.modelVersion());
        node.put("environment", deployment.environment());
        node.put("endpoint", deployment.hasEndpoint() ? deployment.endpoint().toString() : null);
        node.put("status", deployment.status().value());
        node.put("created_at", time(deployment.createdAt()));
        node.put("created_by", deployment.createdBy());
        node.put("activated_at", time(deployment.activatedAt()));
        node.put("deactivated_at", time(deployment.deactivatedAt()));
        node.put("replaces", deployment.replaces());
        node.set("config", Json.mapper().valueToTree(deployment.config()));
        node.set("health", deployment.health() == null ? NODES.nullNode() : health(deployment.health()));
        ArrayNode history = node.putArray("history");
        deployment.history().forEach(change -> history.add(change(change)));
        if (!deployment.metadata().isEmpty()) {
            node.set("metadata", Json.mapper().valueToTree(deployment.metadata()));
        }
        return node;
    }

    static ObjectNode health(HealthCheck check) {
        ObjectNode node = NODES.objectNode();
        node.put("checked_at", time(check.checkedAt()));
        node.put("ok", check.ok());
        node.put("status_code", check.statusCode());
        node.put("latency_ms", check.latencyMs());
        node.put("error", check.error());
        return node;
    }

    static ObjectNode change(StatusChange change) {
        ObjectNode node = NODES.objectNode();
        node.put("status", change.status().value());
        node.put("at", time(change.at()));
        node.put("by", change.by());
        node.put("reason", change.reason());
        return node;
    }

    static String time(Instant instant) {
        return instant == null ? null : UtcTime.format(instant);
    }

    /**
     * Reads a document, or throws {@link CorruptDocumentException} naming the file and the bad field.
     * A time without zone (the original module's naive local time, SPEC 10) is read in {@code legacyZone}.
     */
    static Deployment fromJson(Path file, ObjectNode node, ZoneId legacyZone) {
        try {
            return new Deployment(
                    requiredText(file, node, "deployment_id"),
                    requiredText(file, node, "model_name"),
                    requiredText(file, node, "model_version"),
                    requiredText(file, node, "environment"),
                    endpoint(file, optionalText(file, node, "endpoint")),
                    DeploymentStatus.parse(requiredText(file, node, "status")),
                    UtcTime.parse(requiredText(file, node, "created_at"), legacyZone),
                    optionalText(file, node, "created_by"),
                    optionalTime(file, node, "activated_at", legacyZone),
                    optionalTime(file, node, "deactivated_at", legacyZone),
                    optionalText(file, node, "replaces"),
                    config(file, node.get("config")),
                    health(file, node.get("health"), legacyZone),
                    history(file, node.get("history"), legacyZone),
                    map(file, node.get("metadata"), "metadata"));
        } catch (InvalidInputException e) {
            throw new CorruptDocumentException(file, e.getMessage());
        }
    }

    private static URI endpoint(Path file, String text) {
        if (text == null) {
            return Deployment.NO_ENDPOINT; // the original module writes null when no endpoint was given
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new CorruptDocumentException(file, "endpoint is not a URL: " + e.getReason());
        }
    }

    private static Map<String, Object> config(Path file, JsonNode node) {
        return map(file, node, "config");
    }

    private static Map<String, Object> map(Path file, JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new CorruptDocumentException(file, field + " must be an object");
        }
        return Json.mapper().convertValue(node, MAP);
    }

    private static HealthCheck health(Path file, JsonNode node, ZoneId legacyZone) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new CorruptDocumentException(file, "health must be an object");
        }
        JsonNode ok = node.get("ok");
        if (ok == null || !ok.isBoolean()) {
            throw new CorruptDocumentException(file, "health.ok must be true or false");
        }
        return new HealthCheck(
                UtcTime.parse(requiredText(file, node, "checked_at"), legacyZone),
                ok.booleanValue(),
                optionalInt(file, node, "status_code"),
                optionalLong(file, node, "latency_ms"),
                optionalText(file, node, "error"));
    }

    private static List<StatusChange> history(Path file, JsonNode node, ZoneId legacyZone) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new CorruptDocumentException(file, "history must be a list");
        }
        List<StatusChange> changes = new ArrayList<>();
        for (JsonNode entry : node) {
            if (!entry.isObject()) {
                throw new CorruptDocumentException(file, "history entries must be objects");
            }
            changes.add(new StatusChange(
                    DeploymentStatus.parse(requiredText(file, entry, "status")),
                    UtcTime.parse(requiredText(file, entry, "at"), legacyZone),
                    optionalText(file, entry, "by"),
                    optionalText(file, entry, "reason")));
        }
        return changes;
    }

    private static String requiredText(Path file, JsonNode node, String field) {
        String value = optionalText(file, node, field);
        if (value == null || value.isEmpty()) {
            throw new CorruptDocumentException(file, "missing " + field);
        }
        return value;
    }

    private static String optionalText(Path file, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new CorruptDocumentException(file, field + " must be a string");
        }
        return value.textValue();
    }

    private static Instant optionalTime(Path file, JsonNode node, String field, ZoneId legacyZone) {
        String value = optionalText(file, node, field);
        return value == null ? null : UtcTime.parse(value, legacyZone);
    }

    private static Integer optionalInt(Path file, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new CorruptDocumentException(file, field + " must be a whole number");
        }
        return value.intValue();
    }

    private static Long optionalLong(Path file, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new CorruptDocumentException(file, field + " must be a number");
        }
        // Tools that time with floats write 12.5; the tracker keeps whole milliseconds.
        return Math.round(value.doubleValue());
    }
}
