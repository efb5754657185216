package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/**
 * What a compliance report and a check of links need from one day, derived from the day's index:
 * its counts by type, severity and user, the events a report lists in full (security violations,
 * access denials, deployments, promotions, failures), and the ends of its part of the chain with
 * whether the day is clean (every event chained, named and dated right, seqs contiguous, each
 * linked to the one before, times never running back, nothing unreadable). Kept beside the
 * index as {@code index/YYYY/MM/DD.summary.json} with the size and version of the index it was made
 * from and a hash of the day folder's listing, so a year's report reads 365 small files instead of
 * a million lines; a summary that does not match both is made again from the index. It is sealed
 * ({@link Seal}): one whose seal is broken was edited and is never used. The ends of its part of
 * the chain (first seq and prev_hash, last seq and hash) bind it to the chain: the report checks
 * them against the neighbouring days, the head and, with a key, the signed day digest.
 */
record DaySummary(LocalDate day, long indexBytes, String indexVersion, int nameCount, long nameHash, long events, Instant firstTime,
                  Instant lastTime, Map<EventType, Long> byType, Map<EventSeverity, Long> bySeverity,
                  Map<String, Long> byUser, List<ObjectNode> listed, List<AuditEvent> listedEvents, boolean clean, long chained, long firstSeq,
                  String firstPrevHash, Instant firstChainTime, String firstFile, long lastSeq, String lastHash,
                  Instant lastChainTime, String lastFile) {

    static final String SUFFIX = ".summary.json";
    /** 3: sealed, with the index's size and storage version. Summaries of older versions are made again when read. */
    private static final int VERSION = 4; // 4: critical events are listed (the original report has them)

    /** True when a report lists this event in full (SPEC 3.3): violations, denials, deployments, promotions, failures. */
    static boolean listed(AuditEvent event) {
        return switch (event.eventType()) {
            case SECURITY_VIOLATION, ACCESS_DENIED, MODEL_DEPLOYED, DEPLOYMENT_CREATED, DEPLOYMENT_ACTIVATED,
                    DEPLOYMENT_DEACTIVATED, DEPLOYMENT_ROLLED_BACK, MODEL_PROMOTED -> true;
            default -> event.outcome() == Outcome.FAILURE || event.severity() == EventSeverity.CRITICAL;
        };
    }

    /** The summary of a day as read from its index, for a day folder whose listing hashes to {@code nameHash}. */
    static DaySummary of(TrailIndex.Day day, int nameCount, long nameHash) {
        Tally tally = new Tally(day.day());
        day.events().forEach(tally::add);
        return tally.summary(day.unreadable().isEmpty(), day.index(), nameCount, nameHash);
    }

    /**
     * A day's summary made one event at a time, oldest first (by time, then seq), holding only the
     * counts, the chain's ends and the listed events: a day of 50,000 events is never held whole.
     * Taken oldest first, a clean day's chained events come in seq order, each following the one
     * before; any other order (or gap, or broken link, or time running back) makes the day not clean,
     * as sorting them by seq and checking the same would.
     */
    static final class Tally {

        private static final EventType[] TYPES = EventType.values();
        private static final EventSeverity[] SEVERITIES = EventSeverity.values();

        // Counted in arrays and boxes made once per user: a year's verify counts a million events.
        private final long[] byType = new long[TYPES.length];
        private final long[] bySeverity = new long[SEVERITIES.length];
        private final Map<String, long[]> byUser = new LinkedHashMap<>();
        private final List<ObjectNode> listed = new ArrayList<>();
        private final List<AuditEvent> listedEvents = new ArrayList<>();
        private final LocalDate day;
        private final Instant dayStart;
        private final Instant dayEnd;
        private long events;
        private Instant first;
        private Instant last;
        private boolean clean = true;
        private long chained;
        private AuditEvent head;
        private String headFile;
        private AuditEvent tail;
        private String tailFile;
        private AuditEvent previous;

        Tally(LocalDate day) {
            this.day = day;
            this.dayStart = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            this.dayEnd = day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        }

        /** Counts the event and keeps its document when the summary lists it. */
        void add(IndexedEvent indexed) {
            if (count(indexed.summary(), indexed.fileName())) {
                listed.add(indexed.raw());
                listedEvents.add(indexed.event());
            }
        }

        /**
         * Counts the event stored as {@code fileName} (every field but its details is used) and says
         * whether the summary lists it, without keeping it: a check that compares the listed events
         * with a stored summary's as they come.
         */
        boolean count(AuditEvent event, String fileName) {
            events++;
            byType[event.eventType().ordinal()]++;
            bySeverity[event.severity().ordinal()]++;
            byUser.computeIfAbsent(event.user() == null ? "(none)" : event.user(), user -> new long[1])[0]++;
            first = first == null || event.timestamp().isBefore(first) ? event.timestamp() : first;
            last = last == null || event.timestamp().isAfter(last) ? event.timestamp() : last;
            boolean listedHere = listed(event);
            if (!event.chained() || event.seq() <= 0) {
                clean = false;
                return listedHere;
            }
            chained++;
            // The first of the lowest seq and the last of the highest, as a stable sort by seq would give them.
            if (head == null || event.seq() < head.seq()) {
                head = event;
                headFile = fileName;
            }
            if (tail == null || event.seq() >= tail.seq()) {
                tail = event;
                tailFile = fileName;
            }
            clean = clean && TrailLayout.seqFromName(fileName) == event.seq()
                    && !event.timestamp().isBefore(dayStart) && event.timestamp().isBefore(dayEnd)
                    && (previous == null || event.seq() == previous.seq() + 1 && Objects.equals(event.prevHash(), previous.hash())
                            && !event.timestamp().isBefore(previous.timestamp()));
            previous = event;
            return listedHere;
        }

        DaySummary summary(boolean noneUnreadable, TrailIndex.Stamp index, int nameCount, long nameHash) {
            boolean dayClean = clean && noneUnreadable && chained > 0;
            Map<EventType, Long> types = new EnumMap<>(EventType.class);
            for (EventType type : TYPES) {
                if (byType[type.ordinal()] > 0) {
                    types.put(type, byType[type.ordinal()]);
                }
            }
            Map<EventSeverity, Long> severities = new EnumMap<>(EventSeverity.class);
            for (EventSeverity severity : SEVERITIES) {
                if (bySeverity[severity.ordinal()] > 0) {
                    severities.put(severity, bySeverity[severity.ordinal()]);
                }
            }
            Map<String, Long> users = new LinkedHashMap<>();
            byUser.forEach((user, count) -> users.put(user, count[0]));
            return new DaySummary(day, index.size(), index.version(), nameCount, nameHash, events, first, last, types,
                    severities, users, listed, listedEvents, dayClean, chained,
                    head == null ? 0 : head.seq(), head == null ? null : head.prevHash(),
                    head == null ? null : head.timestamp(), headFile,
                    tail == null ? 0 : tail.seq(), tail == null ? null : tail.hash(),
                    tail == null ? null : tail.timestamp(), tailFile);
        }
    }

    /**
     * True when a stored summary was changed after it was sealed: its seal is broken, or it is gone
     * from a summary of this version (which is always sealed). One of an older version is merely stale.
     */
    static boolean editedAfterSealing(Seal.Status seal, byte[] bytes) {
        if (seal == Seal.Status.BROKEN) {
            return true;
        }
        if (seal != Seal.Status.ABSENT) {
            return false;
        }
        try {
            return Json.mapper().readTree(bytes).path("version").asInt() == VERSION;
        } catch (IOException | RuntimeException unreadable) {
            return false; // damaged beyond reading (a torn write): stale, made again
        }
    }

    /** True when it was made from this very index (size and version) and day folder listing. */
    boolean describes(TrailIndex.Stamp index, int currentNameCount, long currentNameHash) {
        return indexBytes >= 0 && indexBytes == index.size() && indexVersion.equals(index.version())
                && nameCount == currentNameCount && nameHash == currentNameHash;
    }

    /** True when both say the same of their day (counts, listed events, chain), whatever index they were made from. */
    boolean sameContent(DaySummary other) {
        return content().equals(other.content());
    }

    private ObjectNode content() {
        ObjectNode node = toJson();
        node.remove(List.of("index_bytes", "index_version", "name_count", "name_hash"));
        return node;
    }

    /**
     * An order-free hash of a day folder's listing: a sum of mixed name hashes, so the listing
     * need not be sorted. It only has to notice a change, not resist one.
     */
    static long hashNames(java.util.Collection<String> names) {
        long sum = 0;
        for (String name : names) {
            long h = name.hashCode() * 0x9E3779B97F4A7C15L + name.length();
            h ^= h >>> 31;
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
            sum += h;
        }
        return sum;
    }

    ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("version", VERSION);
        node.put("day", day.toString());
        node.put("index_bytes", indexBytes);
        node.put("index_version", indexVersion);
        node.put("name_count", nameCount);
        node.put("name_hash", nameHash);
        node.put("events", events);
        node.put("first_time", time(firstTime));
        node.put("last_time", time(lastTime));
        ObjectNode types = node.putObject("by_type");
        byType.forEach((type, count) -> types.put(type.value(), count));
        ObjectNode severities = node.putObject("by_severity");
        bySeverity.forEach((severity, count) -> severities.put(severity.value(), count));
        ObjectNode users = node.putObject("by_user");
        byUser.forEach(users::put);
        ObjectNode chain = node.putObject("chain");
        chain.put("clean", clean);
        chain.put("count", chained);
        chain.put("first_seq", firstSeq);
        chain.put("first_prev_hash", firstPrevHash);
        chain.put("first_time", time(firstChainTime));
        chain.put("first_file", firstFile);
        chain.put("last_seq", lastSeq);
        chain.put("last_hash", lastHash);
        chain.put("last_time", time(lastChainTime));
        chain.put("last_file", lastFile);
        ArrayNode events = node.putArray("listed");
        listed.forEach(events::add);
        return node;
    }

    /**
     * Reads a stored summary; throws (IOException or a runtime exception) when it is not one of this
     * version. Its seal is the caller's to check, on the bytes as stored.
     */
    static DaySummary fromJson(byte[] bytes, java.time.ZoneId naiveZone) throws IOException {
        return fromJson(bytes, naiveZone, null);
    }

    /**
     * As {@link #fromJson(byte[], java.time.ZoneId)}; with {@code listedAt}, the listed events are
     * not read: where each lies in {@code bytes} goes to {@code listedAt}, in order, and the summary's
     * listed events are empty. A check compares them one at a time with the index's copies, so a
     * busy day's summary (tens of megabytes of listed events) is never held as documents.
     */
    static DaySummary fromJson(byte[] bytes, java.time.ZoneId naiveZone, List<TrailIndex.Slice> listedAt)
            throws IOException {
        JsonNode node = listedAt == null ? Json.mapper().readTree(bytes) : withoutListed(bytes, listedAt);
        if (node.path("version").asInt() != VERSION) {
            throw new IOException("another version of summary");
        }
        Map<EventType, Long> byType = new EnumMap<>(EventType.class);
        node.path("by_type").properties().forEach(entry -> byType.put(EventType.parse(entry.getKey()), count(entry.getValue())));
        Map<EventSeverity, Long> bySeverity = new EnumMap<>(EventSeverity.class);
        node.path("by_severity").properties()
                .forEach(entry -> bySeverity.put(EventSeverity.parse(entry.getKey()), count(entry.getValue())));
        Map<String, Long> byUser = new LinkedHashMap<>();
        node.path("by_user").properties().forEach(entry -> byUser.put(entry.getKey(), count(entry.getValue())));
        List<ObjectNode> listed = new ArrayList<>();
        List<AuditEvent> listedEvents = new ArrayList<>();
        for (JsonNode event : node.path("listed")) {
            if (!(event instanceof ObjectNode object)) {
                throw new IOException("a listed event is not an object");
            }
            listed.add(object);
            listedEvents.add(EventJson.fromJson(object, naiveZone)); // a summary holding an unreadable event is made again
        }
        JsonNode chain = node.path("chain");
        return new DaySummary(LocalDate.parse(node.path("day").asText()), count(node.path("index_bytes")),
                node.path("index_version").asText(""),
                (int) count(node.path("name_count")), node.path("name_hash").asLong(), count(node.path("events")),
                instant(node.path("first_time")), instant(node.path("last_time")), byType, bySeverity, byUser, listed,
                listedEvents,
                chain.path("clean").asBoolean(false), count(chain.path("count")), count(chain.path("first_seq")),
                text(chain.path("first_prev_hash")), instant(chain.path("first_time")), text(chain.path("first_file")),
                count(chain.path("last_seq")), text(chain.path("last_hash")), instant(chain.path("last_time")),
                text(chain.path("last_file")));
    }

    /** Reads one field's value where the parser stands, the fields after it left to the caller. */
    private static final ObjectReader FIELD_READER = Json.mapper().reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The summary's fields but {@code listed}, whose events' places go to {@code listedAt}. */
    private static ObjectNode withoutListed(byte[] bytes, List<TrailIndex.Slice> listedAt) throws IOException {
        ObjectNode node = Json.mapper().createObjectNode();
        try (JsonParser parser = Json.mapper().createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"listed".equals(name)) {
                    node.set(name, FIELD_READER.<JsonNode>readTree(parser));
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new IOException("listed is not a list");
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    listedAt.add(new TrailIndex.Slice(start, (int) parser.currentTokenLocation().getByteOffset() + 1));
                }
                if (parser.currentToken() != JsonToken.END_ARRAY) {
                    throw new IOException("a listed event is not an object");
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("not an object");
            }
        }
        return node;
    }

    private static long count(JsonNode value) {
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw new IllegalArgumentException("not a count: " + value);
        }
        return value.asLong();
    }

    private static String time(Instant instant) {
        return instant == null ? null : UtcTime.format(instant);
    }

    private static Instant instant(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? null : UtcTime.parse(value.asText());
    }

    private static String text(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }
}
