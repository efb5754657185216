package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import neural.mlops.store.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The chain's hashing (SPEC 2.3) as properties over generated events: the same event always
 * hashes the same, also after it is written and read back; the order of keys, at any depth, does
 * not matter; and any change to any hashed field, top-level or inside {@code details}, changes
 * the hash.
 */
class HashingPropertiesTest {

    /** An event as the logger hashes it: its document without {@code hash}, details sanitised as on append. */
    record Generated(long seq, Instant timestamp, EventType type, EventSeverity severity, String user,
                     String resourceId, String action, Outcome outcome, String reason, Map<String, Object> details,
                     String prevHash) {

        ObjectNode document() {
            AuditEvent event = new AuditEvent("event_" + seq, seq, timestamp, type, severity, user, "model",
                    resourceId, action, outcome, reason, Map.of(), null, "host-1", prevHash, null);
            ObjectNode document = EventJson.toJson(event);
            document.set("details", Sanitizer.details(details));
            document.remove(EventJson.HASH);
            return document;
        }
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.FIRST)
    void theSameEventAlwaysHashesTheSameAlsoOnceWrittenAndReadBack(@ForAll("events") Generated event)
            throws Exception {
        String hash = Canonical.sha256Hex(event.document());

        assertThat(Canonical.sha256Hex(event.document())).isEqualTo(hash);
        byte[] stored = Json.mapper().writeValueAsBytes(event.document());
        assertThat(Canonical.sha256Hex(Json.mapper().readTree(stored))).isEqualTo(hash);
        assertThat(hash).matches("[0-9a-f]{64}");
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.FIRST)
    void theOrderOfKeysAtAnyDepthDoesNotChangeTheHash(@ForAll("events") Generated event, @ForAll long shuffleSeed) {
        ObjectNode document = event.document();
        JsonNode shuffled = shuffled(document, new Random(shuffleSeed));

        assertThat(Canonical.bytes(shuffled)).isEqualTo(Canonical.bytes(document));
        assertThat(Canonical.sha256Hex(shuffled)).isEqualTo(Canonical.sha256Hex(document));
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.FIRST)
    void anyChangeToAHashedFieldChangesTheHash(@ForAll("events") Generated event,
                                               @ForAll @IntRange(min = 0, max = 1000) int which,
                                               @ForAll("replacements") String replacement) {
        ObjectNode original = event.document();
        ObjectNode changed = original.deepCopy();
        List<String> fields = new ArrayList<>();
        original.fieldNames().forEachRemaining(fields::add);
        String field = fields.get(which % fields.size());
        JsonNode before = original.get(field);
        if (field.equals("details")) {
            changeDetails((ObjectNode) changed.get("details"), which, replacement);
        } else if (before.isNumber()) {
            changed.put(field, before.asLong() + 1 + (which % 7));
        } else if (before.isTextual() && before.textValue().equals(replacement)) {
            changed.put(field, replacement + "x");
        } else {
            changed.put(field, replacement);
        }

        assertThat(changed).isNotEqualTo(original);
        assertThat(Canonical.sha256Hex(changed)).as("changed %s: %s -> %s", field, before, changed.get(field))
                .isNotEqualTo(Canonical.sha256Hex(original));
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.FIRST)
    void removingOrAddingAFieldChangesTheHash(@ForAll("events") Generated event,
                                             @ForAll @IntRange(min = 0, max = 100) int which) {
        ObjectNode original = event.document();
        List<String> fields = new ArrayList<>();
        original.fieldNames().forEachRemaining(fields::add);
        ObjectNode removed = original.deepCopy();
        removed.remove(fields.get(which % fields.size()));
        ObjectNode added = original.deepCopy();
        added.put("x_added_by_someone", "");

        String hash = Canonical.sha256Hex(original);
        assertThat(Canonical.sha256Hex(removed)).isNotEqualTo(hash);
        assertThat(Canonical.sha256Hex(added)).isNotEqualTo(hash);
    }

    /** Changes one value inside details (a leaf at any depth), or adds a key when details is empty. */
    private static void changeDetails(ObjectNode details, int which, String replacement) {
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(details, objects);
        ObjectNode target = objects.get(which % objects.size());
        List<String> keys = new ArrayList<>();
        target.fieldNames().forEachRemaining(keys::add);
        if (keys.isEmpty()) {
            target.put("added", replacement);
            return;
        }
        String key = keys.get(which % keys.size());
        JsonNode value = target.get(key);
        if (value.isTextual()) {
            target.put(key, value.textValue().equals(replacement) ? replacement + "x" : replacement);
        } else if (value.isNumber()) {
            target.put(key, value.decimalValue().add(java.math.BigDecimal.ONE).toBigInteger().longValue() + 1);
        } else if (value.isBoolean()) {
            target.put(key, !value.booleanValue());
        } else if (value.isNull()) {
            target.put(key, 0);
        } else {
            target.putNull(key);
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
        }
        node.elements().forEachRemaining(child -> collectObjects(child, into));
    }

    private static JsonNode shuffled(JsonNode node, Random random) {
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            Collections.shuffle(keys, random);
            ObjectNode copy = Json.mapper().createObjectNode();
            keys.forEach(key -> copy.set(key, shuffled(node.get(key), random)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.mapper().createArrayNode();
            node.forEach(element -> copy.add(shuffled(element, random)));
            return copy;
        }
        return node;
    }

    @Provide
    Arbitrary<Generated> events() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(24);
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u024f').ofMinLength(1).ofMaxLength(24),
                Arbitraries.of("alice", "b\u00f6b", "\u0430lice", "\ud83d\ude00", "\u20ac", "fraud_detector:v1.0.0"));
        Arbitrary<Instant> time = Arbitraries.longs().between(0, 4_102_444_800_000_000L)
                .map(micros -> Instant.EPOCH.plusNanos(micros * 1000));
        Arbitrary<String> hash = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).injectNull(0.1);
        Arbitrary<Generated> withoutDetails = Combinators.combine(
                Arbitraries.longs().between(1, 1_000_000_000L), time, Arbitraries.of(EventType.class),
                Arbitraries.of(EventSeverity.class), line, line, line, Arbitraries.of(Outcome.class))
                .as((seq, at, type, severity, user, resource, action, outcome) ->
                        new Generated(seq, at, type, severity, user, resource, action, outcome, null, Map.of(), null));
        return Combinators.combine(withoutDetails, text.injectNull(0.3), details(3), hash)
                .as((g, reason, details, prev) -> new Generated(g.seq(), g.timestamp(), g.type(), g.severity(),
                        g.user(), g.resourceId(), g.action(), g.outcome(), reason, details, prev));
    }

    @Provide
    Arbitrary<String> replacements() {
        return Arbitraries.strings().ofMaxLength(12);
    }

    /** Details as callers pass them: strings, whole and decimal numbers, booleans, nulls, lists and maps. */
    private static Arbitrary<Map<String, Object>> details(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(16).map(s -> (Object) s),
                Arbitraries.longs().map(n -> (Object) n),
                Arbitraries.doubles().between(-1e12, 1e12).map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        Arbitrary<Object> value = depth <= 0 ? leaf : Arbitraries.oneOf(leaf, leaf, leaf,
                Arbitraries.lazy(() -> details(depth - 1)).map(m -> (Object) m),
                leaf.list().ofMaxSize(3).map(l -> (Object) l));
        return Arbitraries.maps(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8), value)
                .ofMaxSize(4).map(LinkedHashMap::new);
    }
}
