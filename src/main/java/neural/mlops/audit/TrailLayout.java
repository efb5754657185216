package neural.mlops.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StorePaths;
import neural.mlops.store.UtcTime;

/**
 * The on-disk layout of an audit trail (SPEC 2): {@code events/YYYY/MM/DD/event_<stamp>_<seq>.json},
 * {@code reports/}, {@code head.json}, plus the per-day digests, the redaction salt and the lock.
 * Listing goes folder by folder, so that a date range touches only the days in it.
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

    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern TWO_DIGITS = Pattern.compile("\\d{2}");

    final Path root;
    final Path events;
    final Path reports;
    final Path head;
    final Path lock;
    final Path salt;
    final Path intent;

    TrailLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.events = this.root.resolve(EVENTS);
        this.reports = this.root.resolve(REPORTS);
        this.head = this.root.resolve(HEAD);
        this.lock = this.root.resolve(LOCK);
        this.salt = this.root.resolve(SALT);
        this.intent = this.root.resolve(INTENT);
    }

    static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    static String eventFileName(Instant timestamp, long seq) {
        String digits = Long.toString(seq);
        return "event_" + UtcTime.fileStamp(timestamp) + "_" + "000000".substring(Math.min(6, digits.length())) + digits
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

    Path eventFileForWrite(Instant timestamp, long seq) {
        LocalDate day = day(timestamp);
        return StorePaths.forWrite(root, EVENTS, year(day), month(day), dayOfMonth(day), eventFileName(timestamp, seq));
    }

    Path dayFolder(LocalDate day) {
        return events.resolve(year(day)).resolve(month(day)).resolve(dayOfMonth(day));
    }

    Path digestFile(LocalDate day) {
        return root.resolve(DIGESTS).resolve(year(day)).resolve(month(day)).resolve(digestName(day));
    }

    Path digestFileForWrite(LocalDate day) {
        return StorePaths.forWrite(root, DIGESTS, year(day), month(day), digestName(day));
    }

    Path indexFile(LocalDate day) {
        return root.resolve(INDEX).resolve(year(day)).resolve(month(day)).resolve(dayOfMonth(day) + TrailIndex.SUFFIX);
    }

    Path indexFileForWrite(LocalDate day) {
        return StorePaths.forWrite(root, INDEX, year(day), month(day), dayOfMonth(day) + TrailIndex.SUFFIX);
    }

    Path indexSummaryFile(LocalDate day) {
        return root.resolve(INDEX).resolve(year(day)).resolve(month(day)).resolve(dayOfMonth(day) + DaySummary.SUFFIX);
    }

    Path indexSummaryFileForWrite(LocalDate day) {
        return StorePaths.forWrite(root, INDEX, year(day), month(day), dayOfMonth(day) + DaySummary.SUFFIX);
    }

    Path reportFileForWrite(Instant generatedAt) {
        return StorePaths.forWrite(root, REPORTS, "report_" + UtcTime.fileStamp(generatedAt) + ".json");
    }

    /** A path as recorded in documents: relative to the trail root, with '/' on every OS. */
    String relative(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    Path resolveRelative(String relative) {
        return root.resolve(relative).normalize();
    }

    /**
     * The day folders that exist between {@code from} and {@code to} (inclusive; null for no
     * bound), oldest first or newest first. Only the year and month folders in range are listed.
     */
    List<LocalDate> days(LocalDate from, LocalDate to, boolean newestFirst) {
        List<LocalDate> days = new ArrayList<>();
        for (String year : children(events, name -> YEAR.matcher(name).matches())) {
            int y = Integer.parseInt(year);
            if ((from != null && y < from.getYear()) || (to != null && y > to.getYear())) {
                continue;
            }
            for (String month : children(events.resolve(year), name -> TWO_DIGITS.matcher(name).matches())) {
                int m = Integer.parseInt(month);
                if ((from != null && y * 100 + m < from.getYear() * 100 + from.getMonthValue())
                        || (to != null && y * 100 + m > to.getYear() * 100 + to.getMonthValue())) {
                    continue;
                }
                for (String dayName : children(events.resolve(year).resolve(month), name -> TWO_DIGITS.matcher(name).matches())) {
                    try {
                        LocalDate day = LocalDate.of(y, m, Integer.parseInt(dayName));
                        if ((from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to))) {
                            days.add(day);
                        }
                    } catch (DateTimeException notADate) {
                        // events/2024/02/31 is nobody's day folder; readers ignore it as they ignore any stray folder.
                    }
                }
            }
        }
        days.sort(newestFirst ? Comparator.reverseOrder() : Comparator.naturalOrder());
        return days;
    }

    /**
     * The names of a day folder's candidate event files, as one directory read gives them (no
     * per-file check): what the index of that day must account for.
     */
    List<String> eventFileNames(LocalDate day) {
        // java.io.File.list gives bare names, several times cheaper than a DirectoryStream's paths for a
        // folder of thousands of events. Temporaries end in .tmp, so the suffix alone leaves them out.
        String[] names = dayFolder(day).toFile().list();
        if (names == null) {
            return Collections.emptyList();
        }
        List<String> events = new ArrayList<>(names.length);
        for (String name : names) {
            if (name.endsWith(".json")) {
                events.add(name);
            }
        }
        return events;
    }

    /** The candidate event documents of a day: its JSON files, without the temporaries of interrupted writes. */
    List<Path> eventFiles(LocalDate day) {
        Path folder = dayFolder(day);
        List<Path> files = new ArrayList<>();
        for (String name : children(folder, name -> name.endsWith(".json"))) {
            Path file = folder.resolve(name);
            // Anything but a folder is a candidate: a pipe planted as an event is reported by its reader, not skipped.
            if (!AtomicFiles.isTemporary(file) && !Files.isDirectory(file)) {
                files.add(file);
            }
        }
        return files;
    }

    private static List<String> children(Path folder, Predicate<String> accept) {
        if (!Files.isDirectory(folder)) {
            return Collections.emptyList();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (accept.test(name)) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException gone) {
            return Collections.emptyList();
        } catch (IOException e) {
            throw StoreIOException.of("list", folder, e);
        }
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
