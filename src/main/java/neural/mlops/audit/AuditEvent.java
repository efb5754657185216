package neural.mlops.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded audit event, with the fields of SPEC 2.3. {@code seq} is 0 and {@code hash} null
 * for events written by tools that do not chain; {@code outcome} is null when the writer did not
 * record one. Resource ids of models are {@code <name>:<version>}. {@code tags} are the labels the
 * original Python module gives events (SPEC 10: a security violation is tagged {@code security},
 * {@code violation}); empty when the writer gave none.
 */
public record AuditEvent(
        String eventId,
        long seq,
        Instant timestamp,
        EventType eventType,
        EventSeverity severity,
        String user,
        String resourceType,
        String resourceId,
        String action,
        Outcome outcome,
        String reason,
        Map<String, Object> details,
        String ipAddress,
        String host,
        String prevHash,
        String hash,
        List<String> tags) {

    public AuditEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(eventType, "eventType");
        severity = severity == null ? EventSeverity.INFO : severity;
        details = details == null || details.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        tags = tags == null || tags.isEmpty() ? List.of() : List.copyOf(tags);
    }

    /** An event without tags, as the product's own writers record them. */
    public AuditEvent(String eventId, long seq, Instant timestamp, EventType eventType, EventSeverity severity,
                      String user, String resourceType, String resourceId, String action, Outcome outcome,
                      String reason, Map<String, Object> details, String ipAddress, String host, String prevHash,
                      String hash) {
        this(eventId, seq, timestamp, eventType, severity, user, resourceType, resourceId, action, outcome, reason,
                details, ipAddress, host, prevHash, hash, List.of());
    }

    /** The same event with {@code newDetails}. */
    AuditEvent withDetails(Map<String, Object> newDetails) {
        return new AuditEvent(eventId, seq, timestamp, eventType, severity, user, resourceType, resourceId, action,
                outcome, reason, newDetails, ipAddress, host, prevHash, hash, tags);
    }

    /** The event's document, keys in SPEC 2.3 order (as written, less any fields this version does not know). */
    public ObjectNode toJson() {
        return EventJson.toJson(this);
    }

    /** True when the event is part of the hash chain (it carries a hash). */
    public boolean chained() {
        return hash != null;
    }
}
