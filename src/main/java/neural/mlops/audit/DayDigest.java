package neural.mlops.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/**
 * The signed summary of one finished day of the chain (with a key only): its first and last seq,
 * its count and its last hash. Written once, when the first event of a later day is appended;
 * the head's own signature covers the head's day. Kept under {@code digests/}, outside
 * {@code events/}, so that readers of event folders never meet it.
 */
record DayDigest(LocalDate day, long firstSeq, long lastSeq, String lastHash) {

    long count() {
        return lastSeq - firstSeq + 1;
    }

    ObjectNode toSignedJson(AuditKey key, Instant signedAt) {
        ObjectNode document = Json.mapper().createObjectNode();
        document.put("day", day.toString());
        document.put("first_seq", firstSeq);
        document.put("last_seq", lastSeq);
        document.put("count", count());
        document.put("last_hash", lastHash);
        document.put("key_id", key.id());
        document.put("signed_at", UtcTime.format(signedAt));
        document.put(Head.HMAC, key.sign(Canonical.bytes(document)));
        return document;
    }

    /** The digest's claims read back, without checking the signature (see {@link Head#signatureValid}). */
    static DayDigest fromJson(ObjectNode document) {
        try {
            return new DayDigest(LocalDate.parse(EventJson.text(document, "day")),
                    document.path("first_seq").asLong(), document.path("last_seq").asLong(),
                    EventJson.text(document, "last_hash"));
        } catch (RuntimeException e) {
            throw new EventJson.MalformedEvent("not a day digest: " + e.getMessage());
        }
    }
}
