package neural.mlops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Version;

/**
 * The chain head kept in {@code head.json}: the last seq and hash, so that an append never rescans
 * the trail, plus the first seq of the head's day (for that day's digest) and, with a key, which
 * key signs and since which seq. The document keeps fields other tools added.
 */
record Head(long lastSeq, String lastHash, Instant lastTimestamp, String lastEvent, long dayFirstSeq,
            long signedSinceSeq, String keyId, String hmac, ObjectNode raw) {

    static final Head EMPTY = new Head(0, null, null, null, 0, 0, null, null, null);

    static final String HMAC = "hmac";

    boolean signed() {
        return hmac != null;
    }

    LocalDate day() {
        return lastTimestamp == null ? null : TrailLayout.day(lastTimestamp);
    }

    /** The head after {@code event} was appended, given where it is stored. */
    Head advance(AuditEvent event, String relativeFile) {
        return new Head(event.seq(), event.hash(), event.timestamp(), relativeFile,
                continuesDay(event.timestamp()) ? dayFirstSeq : event.seq(), signedSinceSeq, keyId, null, raw);
    }

    /** True when an event at {@code timestamp} appended after this head falls on its day; false when it begins one. */
    boolean continuesDay(Instant timestamp) {
        return lastSeq > 0 && lastTimestamp != null && TrailLayout.day(lastTimestamp).equals(TrailLayout.day(timestamp));
    }

    /** Reads head.json; null when it does not exist. Throws {@code CorruptDocumentException} when unreadable. */
    static Head read(TrailLayout layout) {
        Versioned versioned = readVersioned(layout);
        return versioned == null ? null : versioned.head();
    }

    /** head.json as read, with the version to replace it conditionally. */
    record Versioned(Head head, Version version) {
    }

    /** Reads head.json with its version; null when it does not exist. Throws {@code CorruptDocumentException} when unreadable. */
    static Versioned readVersioned(TrailLayout layout) {
        Optional<Document> document = layout.read(TrailLayout.HEAD_KEY, Json.MAX_DOCUMENT_BYTES);
        if (document.isEmpty()) {
            return null;
        }
        return new Versioned(parse(layout, layout.parseObject(TrailLayout.HEAD_KEY, document.get().content())),
                document.get().version());
    }

    private static Head parse(TrailLayout layout, ObjectNode raw) {
        try {
            long lastSeq = requireCount(raw, "last_seq");
            String lastHash = EventJson.text(raw, "last_hash");
            String timestamp = EventJson.text(raw, "last_timestamp");
            return new Head(lastSeq, lastHash, timestamp == null ? null : UtcTime.parse(timestamp),
                    EventJson.text(raw, "last_event"), count(raw, "day_first_seq"), count(raw, "signed_since_seq"),
                    EventJson.text(raw, "key_id"), EventJson.text(raw, HMAC), raw);
        } catch (EventJson.MalformedEvent | InvalidInputException e) {
            throw new CorruptDocumentException(layout.head, e.getMessage());
        }
    }

    /** The document to write: known fields set over whatever else the old head held, signed with {@code key} if any. */
    ObjectNode toJson(Instant updatedAt, AuditKey key) {
        ObjectNode fields = Json.mapper().createObjectNode();
        fields.put("last_seq", lastSeq);
        fields.put("last_hash", lastHash);
        fields.put("last_timestamp", lastTimestamp == null ? null : UtcTime.format(lastTimestamp));
        fields.put("last_event", lastEvent);
        fields.put("day_first_seq", dayFirstSeq);
        fields.put("updated_at", UtcTime.format(updatedAt));
        ObjectNode document = Json.preserveUnknown(raw, fields);
        document.remove(HMAC);
        document.remove("signed_since_seq");
        document.remove("key_id");
        if (key != null) {
            document.put("signed_since_seq", signedSinceSeq > 0 ? signedSinceSeq : Math.max(1, lastSeq));
            document.put("key_id", key.id());
            document.put(HMAC, key.sign(Canonical.bytes(document)));
        }
        return document;
    }

    /** True when {@code document}'s hmac is the one {@code key} makes over the rest of it. */
    static boolean signatureValid(ObjectNode document, AuditKey key) {
        JsonNode hmac = document.get(HMAC);
        if (hmac == null || !hmac.isTextual()) {
            return false;
        }
        ObjectNode unsigned = document.deepCopy();
        unsigned.remove(HMAC);
        return Canonical.sameDigest(key.sign(Canonical.bytes(unsigned)), hmac.textValue());
    }

    private static long requireCount(JsonNode node, String field) {
        if (!node.has(field)) {
            throw new EventJson.MalformedEvent("it has no " + field);
        }
        return count(node, field);
    }

    private static long count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new EventJson.MalformedEvent(field + " is not a whole number");
        }
        return value.asLong();
    }
}
