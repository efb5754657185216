package neural.mlops.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/** Converts audit events between their JSON document (SPEC 2.3, keys in that order) and {@link AuditEvent}. */
final class EventJson {

    static final String HASH = "hash";
    static final String PREV_HASH = "prev_hash";
    static final String SEQ = "seq";
    static final String TIMESTAMP = "timestamp";
    static final String TAGS = "tags";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private EventJson() {
    }

    /** The document of an event, keys in SPEC order, absent values as null. */
    static ObjectNode toJson(AuditEvent event) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("event_id", event.eventId());
        if (event.seq() > 0) {
            node.put(SEQ, event.seq());
        } else {
            node.putNull(SEQ);
        }
        node.put(TIMESTAMP, UtcTime.format(event.timestamp()));
        node.put("event_type", event.eventType().value());
        node.put("severity", event.severity().value());
        node.put("user", event.user());
        node.put("resource_type", event.resourceType());
        node.put("resource_id", event.resourceId());
        node.put("action", event.action());
        node.put("outcome", event.outcome() == null ? null : event.outcome().value());
        node.put("reason", event.reason());
        node.set("details", Json.mapper().valueToTree(event.details()));
        node.put("ip_address", event.ipAddress());
        node.put("host", event.host());
        if (!event.tags().isEmpty()) {
            // Only when there are some: the product's own events never had the key, and their hashes stay as they were.
            event.tags().forEach(node.putArray(TAGS)::add);
        }
        node.put(PREV_HASH, event.prevHash());
        node.put(HASH, event.hash());
        return node;
    }

    /**
     * Reads an event document, written by this tool or another. Throws {@link MalformedEvent} with
     * the reason when the document cannot be understood as an event.
     */
    static AuditEvent fromJson(ObjectNode node) {
        return fromJson(node, java.time.ZoneOffset.UTC);
    }

    /** {@link #fromJson(ObjectNode)}, reading a timestamp without a zone (SPEC 10) in {@code naiveZone}. */
    static AuditEvent fromJson(ObjectNode node, ZoneId naiveZone) {
        try {
            JsonNode details = node.get("details");
            if (details != null && !details.isNull() && !details.isObject()) {
                throw new MalformedEvent("details is not an object");
            }
            return new AuditEvent(
                    text(node, "event_id"),
                    seq(node),
                    timestamp(node, naiveZone),
                    EventType.parse(required(node, "event_type")),
                    node.hasNonNull("severity") ? EventSeverity.parse(text(node, "severity")) : EventSeverity.INFO,
                    text(node, "user"),
                    text(node, "resource_type"),
                    text(node, "resource_id"),
                    text(node, "action"),
                    node.hasNonNull("outcome") ? Outcome.parse(text(node, "outcome")) : null,
                    text(node, "reason"),
                    details == null || details.isNull() ? Map.of() : Json.mapper().convertValue(details, MAP),
                    text(node, "ip_address"),
                    text(node, "host"),
                    text(node, PREV_HASH),
                    text(node, HASH),
                    tags(node));
        } catch (InvalidInputException e) {
            throw new MalformedEvent(e.getMessage());
        }
    }

    /** The event's seq, 0 when it has none; a seq that is not a positive whole number is malformed. */
    static long seq(JsonNode node) {
        JsonNode seq = node.get(SEQ);
        if (seq == null || seq.isNull()) {
            return 0;
        }
        if (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.asLong() < 1) {
            throw new MalformedEvent("seq " + seq + " is not a positive whole number");
        }
        return seq.asLong();
    }

    static Instant timestamp(JsonNode node, ZoneId naiveZone) {
        try {
            return UtcTime.parse(required(node, TIMESTAMP), naiveZone);
        } catch (InvalidInputException e) {
            throw new MalformedEvent(e.getMessage());
        }
    }

    /** The event's tags (SPEC 10): a list of strings, or none. */
    static List<String> tags(JsonNode node) {
        JsonNode tags = node.get(TAGS);
        if (tags == null || tags.isNull()) {
            return List.of();
        }
        if (!tags.isArray()) {
            throw new MalformedEvent("tags is not a list of strings");
        }
        List<String> list = new ArrayList<>(tags.size());
        for (JsonNode tag : tags) {
            if (!tag.isTextual()) {
                throw new MalformedEvent("tags is not a list of strings");
            }
            list.add(tag.textValue());
        }
        return list;
    }

    private static String required(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) {
            throw new MalformedEvent("it has no " + field);
        }
        return value;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedEvent(field + " is not a string");
        }
        return value.textValue();
    }

    /** An event document that cannot be understood; the message says why. */
    static final class MalformedEvent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedEvent(String message) {
            super(message, null, false, false);
        }
    }
}
