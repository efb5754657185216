package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.Json;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;

/**
 * The key layout of an audit trail (SPEC 2), the same in a folder and in a bucket:
 * {@code events/YYYY/MM/DD/event_<stamp>_<seq>.json}, {@code reports/}, {@code head.json}, plus the
 * per-day digests and index, the redaction salt, the lock and the append hint. Every read and
 * write of the trail goes through {@link #storage}; a {@link Path} here is only how a file is named
 * to the user (the file itself in a folder, the key relative to the trail in a bucket).
 */
final class TrailLayout {

    static final String EVENTS = "events";
    static final String REPORTS = "reports";
    static final String DIGESTS = "digests";
    /** The derived per-day index of the events ({@link TrailIndex}); rebuilt from the events when lost or stale. */
    static final String INDEX = "index";
    static final String HEAD = "head.json";
    static final String SALT = "redaction_salt.json";
    static final String LOCK = ".audit.lock";
    /** A hint written (not flushed) before each event, naming it: see {@link AppendLog}. */
    static final String INTENT = ".append-intent";

    static final Key HEAD_KEY = Key.of(HEAD);
    static final Key SALT_KEY = Key.of(SALT);
    static final Key LOCK_KEY = Key.of(LOCK);
    static final Key INTENT_KEY = Key.of(INTENT);

    /** Periods shorter than this are listed day folder by day folder ({@link #eventObjectsByDay}), longer ones by month. */
    private static final long DAY_BY_DAY = 7;

    final Storage storage;
    /** The trail's folder, or for a bucket its location as a path, for messages only. */
    final Path root;
    final Path head;
    final Path salt;
    final Path intent;
    /** The folder the keys resolve in when the storage is a folder, else null. */
    private final Path localRoot;

    /** The zone times without one are read in (SPEC 10: the original module writes naive local times). */
    final ZoneId naiveZone;

    TrailLayout(Storage storage) {
        this(storage, ZoneId.systemDefault());
    }

    TrailLayout(Storage storage, ZoneId naiveZone) {
        this.storage = storage;
        this.naiveZone = naiveZone;
        this.localRoot = storage.localFile(HEAD_KEY).map(Path::getParent).orElse(null);
        this.root = localRoot != null ? localRoot : Path.of(storage.location());
        this.head = display(HEAD);
        this.salt = display(SALT);
        this.intent = display(INTENT);
    }

    /** Where a key is, as shown to the user: its file in a folder, the key relative to the trail in a bucket. */
    Path display(Key key) {
        return display(key.value());
    }

    Path display(String relative) {
        return localRoot != null ? localRoot.resolve(relative) : Path.of(relative);
    }

    /** The trail's folder when it is one; bulk writing ({@link BulkAppender}) needs it. */
    Optional<Path> localRoot() {
        return Optional.ofNullable(localRoot);
    }

    static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * The file name of a chained event: its seq zero-padded to at least seven digits. The original
     * Python module (SPEC 10) names its events with a six-digit per-process counter, possibly into
     * the same day folder at the same second and still running beside us; seven digits is a name it
     * never writes, so neither side can take or overwrite the other's file. Older trails hold six-digit
     * names: {@link #seqFromName(String)} reads both.
     */
    static String eventFileName(Instant timestamp, long seq) {
        String digits = Long.toString(seq);
        return "event_" + UtcTime.fileStamp(timestamp) + "_" + "0000000".substring(Math.min(7, digits.length())) + digits
                + ".json";
    }

    /** The seq in an event file's name, or 0 when the name is not an event file name. */
    static long seqFromName(Path file) {
        return seqFromName(file.getFileName().toString());
    }

    /** As {@link #seqFromName(Path)}, read by hand: verification asks it of every event. */
    static long seqFromName(String name) {
        // event_YYYYMMDD_HHMMSS_N.json, N of 6 to 18 digits
        int length = name.length();
        if (length < 33 || length > 45 || !name.startsWith("event_") || !name.endsWith(".json")
                || name.charAt(14) != '_' || name.charAt(21) != '_' || !digits(name, 6, 14) || !digits(name, 15, 21)
                || !digits(name, 22, length - 5)) {
            return 0;
        }
        return Long.parseLong(name, 22, length - 5, 10);
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    // Keys

    Key eventKey(Instant timestamp, long seq) {
        return eventKey(day(timestamp), eventFileName(timestamp, seq));
    }

    Key eventKey(LocalDate day, String fileName) {
        return Key.of(dayFolder(day) + "/" + fileName);
    }

    /**
     * The keys of a day's event files {@code names}, each made when it is read: a busy day's
     * reads would otherwise make them all at once.
     */
    List<Key> eventKeys(LocalDate day, List<String> names) {
        return new AbstractList<>() {
            @Override
            public Key get(int i) {
                return eventKey(day, names.get(i));
            }

            @Override
            public int size() {
                return names.size();
            }
        };
    }

    /** The folder of a day's events: {@code events/YYYY/MM/DD}. */
    static String dayFolder(LocalDate day) {
        return EVENTS + "/" + year(day) + "/" + month(day) + "/" + dayOfMonth(day);
    }

    /** The day folder as shown to the user. */
    Path dayFolderPath(LocalDate day) {
        return display(dayFolder(day));
    }

    Key digestKey(LocalDate day) {
        return Key.of(DIGESTS, year(day), month(day), digestName(day));
    }

    Key indexKey(LocalDate day) {
        return Key.of(INDEX, year(day), month(day), dayOfMonth(day) + TrailIndex.SUFFIX);
    }

    Key indexSummaryKey(LocalDate day) {
        return Key.of(INDEX, year(day), month(day), dayOfMonth(day) + DaySummary.SUFFIX);
    }

    Key reportKey(String fileName) {
        return Key.of(REPORTS, fileName);
    }

    /** A key as recorded in documents ({@code head.json}'s last_event): relative to the trail root. */
    static String relative(Key key) {
        return key.value();
    }

    /** A shown path ({@link #display}) back as recorded in documents: relative to the trail root, with '/'. */
    String relative(Path displayed) {
        Path relative = localRoot != null ? localRoot.relativize(displayed.toAbsolutePath().normalize()) : displayed;
        return relative.toString().replace('\\', '/');
    }

    /** The key of a shown path. */
    Key keyOf(Path displayed) {
        return Key.of(relative(displayed));
    }

    /** The key a document names (head.json's last_event, the hint's events); refused when it is not a key of the trail. */
    Key resolveRelative(String relative) {
        return Key.of(relative);
    }

    // Reading

    /** The object's content and version, empty when it does not exist. */
    Optional<Document> read(Key key, long maxBytes) {
        return storage.read(key, maxBytes);
    }

    /** A JSON object document, empty when missing; a malformed one is {@link CorruptDocumentException}. */
    Optional<ObjectNode> readObject(Key key) {
        return read(key, Json.MAX_DOCUMENT_BYTES).map(document -> parseObject(key, document.content()));
    }

    ObjectNode parseObject(Key key, byte[] bytes) {
        try {
            // Stored events may be the original module's, with Python's unquoted NaN and Infinity (SPEC 10).
            JsonNode node = Json.storedMapper().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new CorruptDocumentException(display(key), "expected a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new CorruptDocumentException(display(key), Json.describe(e));
        } catch (IOException e) {
            throw new StoreIOException("Could not parse " + display(key) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The days that hold events between {@code from} and {@code to} (inclusive; null for no bound),
     * oldest first or newest first, found through the folders: the year folders, the month folders
     * of the years in the period, the day folders of those months, then the first entry of each
     * day folder in the period (is an event there?). The cost follows the days of the period, never
     * the events of the trail: the whole of a three-year trail is about 40 folder listings and 1,100
     * one-entry reads, where listing its objects would read ten million entries.
     */
    List<LocalDate> days(LocalDate from, LocalDate to, boolean newestFirst) {
        List<LocalDate> days = new ArrayList<>();
        for (int year : numberedFolders(EVENTS, 4)) {
            if ((from != null && year < from.getYear()) || (to != null && year > to.getYear())) {
                continue;
            }
            String yearFolder = EVENTS + "/" + pad(year, 4);
            for (int monthNumber : numberedFolders(yearFolder, 2)) {
                if (monthNumber < 1 || monthNumber > 12) {
                    continue; // events/2024/13 is nobody's month folder
                }
                YearMonth month = YearMonth.of(year, monthNumber);
                if ((from != null && month.isBefore(YearMonth.from(from))) || (to != null && month.isAfter(YearMonth.from(to)))) {
                    continue;
                }
                for (int dayOfMonth : numberedFolders(yearFolder + "/" + pad(monthNumber, 2), 2)) {
                    if (!month.isValidDay(dayOfMonth)) {
                        continue; // events/2024/02/31 is nobody's day folder
                    }
                    LocalDate day = month.atDay(dayOfMonth);
                    if ((from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to)) && holdsEvents(day)) {
                        days.add(day);
                    }
                }
            }
        }
        days.sort(newestFirst ? Comparator.reverseOrder() : Comparator.naturalOrder());
        return days;
    }

    /** The numbers naming the folders under {@code folder} with exactly {@code width} digits, as years, months and days are named. */
    private List<Integer> numberedFolders(String folder, int width) {
        try (Stream<String> names = storage.folders(folder)) {
            return names.filter(name -> number(name, width)).map(Integer::parseInt).toList();
        }
    }

    /** Whether a day folder holds an event object directly: it reads the folder only up to the first one. */
    private boolean holdsEvents(LocalDate day) {
        String folder = dayFolder(day) + "/";
        try (Stream<StoredObject> entries = storage.list(dayFolder(day))) {
            return entries.anyMatch(object -> isEventName(object.key().value().substring(folder.length())));
        }
    }

    /** A candidate event object's name relative to its day folder: a {@code .json} file directly in it. */
    private static boolean isEventName(String relative) {
        return relative.endsWith(".json") && relative.indexOf('/') < 0;
    }

    /**
     * The event objects of each day of {@code from}..{@code to} (inclusive) that has any, newest day
     * first, as a query of that period needs them: which days to read, and each day's objects with
     * size and version to check its index against, without a request per day. A week or less lists
     * each day folder; anything longer lists each month folder once (on a bucket one request per
     * 1,000 events of the month, where day by day would be one per day, and another per day for
     * the check).
     */
    SortedMap<LocalDate, List<StoredObject>> eventObjectsByDay(LocalDate from, LocalDate to) {
        SortedMap<LocalDate, List<StoredObject>> byDay = new TreeMap<>(Comparator.reverseOrder());
        if (ChronoUnit.DAYS.between(from, to) < DAY_BY_DAY) {
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                List<StoredObject> objects = eventObjects(day);
                if (!objects.isEmpty()) {
                    byDay.put(day, objects);
                }
            }
            return byDay;
        }
        for (LocalDate month = from.withDayOfMonth(1); !month.isAfter(to); month = month.plusMonths(1)) {
            try (Stream<StoredObject> entries = storage.list(EVENTS + "/" + year(month) + "/" + month(month))) {
                entries.forEach(object -> dayOf(object.key())
                        .filter(day -> !day.isBefore(from) && !day.isAfter(to))
                        .ifPresent(day -> byDay.computeIfAbsent(day, empty -> new ArrayList<>()).add(object)));
            }
        }
        return byDay;
    }

    /** The day of an event key {@code events/YYYY/MM/DD/<name>.json}; empty for anything else (a stray folder). */
    private static Optional<LocalDate> dayOf(Key key) {
        List<String> segments = key.segments();
        if (segments.size() != 5 || !segments.get(4).endsWith(".json") || !number(segments.get(1), 4)
                || !number(segments.get(2), 2) || !number(segments.get(3), 2)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(segments.get(1)), Integer.parseInt(segments.get(2)),
                    Integer.parseInt(segments.get(3))));
        } catch (DateTimeException notADate) {
            return Optional.empty(); // events/2024/02/31 is nobody's day folder
        }
    }

    private static boolean number(String text, int width) {
        return text.length() == width && digits(text, 0, width);
    }

    /**
     * The candidate event objects of a day, as one listing gives them (with size and version, no
     * read): its {@code .json} entries directly in the day folder. What the index of that day must
     * account for.
     */
    List<StoredObject> eventObjects(LocalDate day) {
        String folder = dayFolder(day) + "/";
        List<StoredObject> objects = new ArrayList<>();
        try (Stream<StoredObject> entries = storage.list(dayFolder(day))) {
            entries.forEach(object -> {
                if (isEventName(object.key().value().substring(folder.length()))) {
                    objects.add(object);
                }
            });
        }
        return objects;
    }

    /** The names of a day's candidate event objects. */
    List<String> eventFileNames(LocalDate day) {
        List<StoredObject> objects = eventObjects(day);
        List<String> names = new ArrayList<>(objects.size());
        objects.forEach(object -> names.add(object.key().fileName()));
        return names;
    }

    private static String digestName(LocalDate day) {
        return "digest_" + year(day) + month(day) + dayOfMonth(day) + ".json";
    }

    private static String year(LocalDate day) {
        return pad(day.getYear(), 4);
    }

    private static String month(LocalDate day) {
        return pad(day.getMonthValue(), 2);
    }

    private static String dayOfMonth(LocalDate day) {
        return pad(day.getDayOfMonth(), 2);
    }

    /** String.format is slow enough to show when a year of days is walked. */
    private static String pad(int value, int width) {
        String digits = Integer.toString(value);
        return digits.length() >= width ? digits : "0000".substring(0, width - digits.length()) + digits;
    }
}
