package neural.mlops.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditKey;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.ComplianceReport;
import neural.mlops.audit.IntegrityReport;
import neural.mlops.audit.QueryResult;
import neural.mlops.registry.ModelComparison;
import neural.mlops.registry.ModelQuery;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.RegistrySnapshot;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.MlopsException;
import neural.mlops.store.StoreIOException;
import neural.mlops.workspace.Workspace;

/**
 * Times the operations of SPEC 7 on a workspace, in this process (and in child processes for the
 * capped-heap export and the two appending processes), and compares each with a floor measured
 * in the same run: reading the same files once, as {@code cat} would, or one durable write.
 *
 * <p>It changes the workspace as its users would, and only so: it saves compliance reports under
 * {@code audit_logs/reports/}, and promotes two versions of one model to production in turn (each
 * archiving the other), which the trail records. Scratch files go to a hidden folder that is removed
 * at the end, and so does the trail the appends are timed on (as users {@code bench},
 * {@code bench-p1} and {@code bench-p2}).
 */
public final class BenchRunner {

    static final String SCRATCH = ".bench-scratch";
    /** The jar's entry point, named rather than referenced: the command line depends on this package, not the reverse. */
    private static final String MAIN = "neural.mlops.Main";
    private static final String USER = "bench";
    /** A quarter of Linux's usual 2 MB for a command line's arguments, leaving room for the environment. */
    static final int MAX_ARGUMENT_BYTES = 512 * 1024;

    /**
     * SPEC 7's sizes. Its absolute targets (a promotion under 50 ms, a 30-day query under 1 s, ...)
     * are for a registry of 10,000 versions and a trail of 1,000,000 events a year. A larger
     * workspace (issue 23: ten times either) is judged by its floors and against a baseline instead;
     * its rows name SPEC 7's target without judging it. A fifth more is allowed for the events and
     * versions that earlier runs of the benchmark added.
     */
    static final int SPEC_VERSIONS = 10_000;
    static final long SPEC_EVENTS_A_YEAR = 1_000_000;
    /**
     * The trail issue 23 sets whole-trail verification's 1.5x {@code sha256sum} for: ten million
     * events, larger than the page cache, where both read from the disk. A trail the page cache
     * holds pits verify's parse and canonical hash of every event against the CPU's SHA
     * instructions alone; its ratio is shown, its heap judged.
     */
    static final long VERIFY_EVENTS = 10 * SPEC_EVENTS_A_YEAR;
    /** The unit of a time divided among the events of a period (the rows against a baseline). */
    static final String PER_EVENT = "µs/event";
    /**
     * The least warm-ups and timed runs of a comparison against the baseline trail. Its ratio is
     * of two medians, so it takes the noise of both: with one warm-up, the larger trail's query ran
     * 10-30% slow in its first timed round while the JIT still compiled (session 23, in one process:
     * 1.18x in that round, 0.85-1.04x and a median of 0.95x from the fourth), enough to cross 1.2x
     * on its own.
     */
    static final int BASELINE_WARMUPS = 3;
    static final int BASELINE_RUNS = 5;

    private final Path workspace;
    private final BenchOptions options;
    private final Consumer<String> progress;
    private final Path scratch;
    private final List<BenchRow> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Instant now;

    private BenchRunner(Path workspace, BenchOptions options, Consumer<String> progress) {
        this.workspace = workspace;
        this.options = options;
        this.progress = progress;
        this.scratch = workspace.resolve(SCRATCH);
        this.now = Instant.now();
    }

    /** Runs the benchmark on {@code workspace}; progress messages go to {@code progress}. */
    public static BenchReport run(Path workspace, BenchOptions options, Consumer<String> progress) {
        Path folder = workspace.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder.resolve(Workspace.MODELS)) || !Files.isDirectory(folder.resolve(Workspace.AUDIT))) {
            throw new InvalidInputException(folder + " holds no models/ and audit_logs/; generate one first with "
                    + "'neural-mlops bench generate DIR'");
        }
        options.baseline().ifPresent(baseline -> {
            if (!Files.isDirectory(baseline.resolve(Workspace.AUDIT))) {
                throw new InvalidInputException("The baseline " + baseline + " holds no audit_logs/; generate one first "
                        + "with 'neural-mlops bench generate DIR'");
            }
        });
        BenchRunner runner = new BenchRunner(folder, options, progress);
        try {
            Files.createDirectories(runner.scratch);
            return runner.runAll();
        } catch (IOException e) {
            throw StoreIOException.of("create", runner.scratch, e);
        } finally {
            deleteTree(runner.scratch);
        }
    }

    private BenchReport runAll() {
        notes.add(String.format(Locale.ROOT, "Machine: %d cores, Java %s on %s; load average %s at the start",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name"), loadAverage()));
        progress.accept("Load average at the start: " + loadAverage());
        registry();
        audit();
        appends();
        progress.accept("Load average at the end: " + loadAverage());
        notes.add("Load average at the end: " + loadAverage() + ". Medians of " + options.runs() + " runs after "
                + options.warmups() + " warm-up(s); the machine may be shared, so compare runs made when it is quiet.");
        return new BenchReport(rows, notes);
    }

    // The registry

    private void registry() {
        Path root = workspace.resolve(Workspace.MODELS);
        List<Path> metadata = files(root.resolve("metadata"), name -> name.endsWith(".json"));
        progress.accept("Registry: " + metadata.size() + " metadata documents");
        double floor = median(time(1, options.runs(), () -> readAll(metadata)));
        String floorDetail = "floor: reading the " + metadata.size() + " metadata files once";

        // The cache is derived: without it, the listing parses every document (and writes the cache).
        deleteQuietly(root.resolve(".cache").resolve("metadata.bin"));
        double[] first = time(0, 1, () -> fresh(root).snapshot());
        // That listing cached every document as just seen: listings trust those parses only once they
        // are read again a while later, and until then read every document. The rows below measure
        // what every listing after that moment does, so the cache is settled first, by one more listing.
        pause(ModelRegistry.LISTING_SETTLES_AFTER.plusMillis(100));
        RegistrySnapshot snapshot = fresh(root).snapshot();
        if (!snapshot.problems().isEmpty()) {
            notes.add("The registry reports " + snapshot.problems().size() + " problem(s), the first: "
                    + snapshot.problems().get(0).message());
        }
        rows.add(new BenchRow("registry: first listing, no cache", "ms", first[0], floor, "", null,
                "a new ModelRegistry lists " + snapshot.versions().size() + " versions, parsing every document and "
                        + "writing the listing cache; " + floorDetail));
        double list = median(time(options.warmups(), options.runs(), () -> fresh(root).snapshot().listModels()));
        rows.add(new BenchRow("registry: list", "ms", list, floor, "within 2x the floor", list <= 2 * floor,
                "a new ModelRegistry (nothing in memory) lists " + snapshot.listModels().size() + " models and "
                        + snapshot.versions().size() + " versions; " + floorDetail));
        ModelQuery query = ModelQuery.all().withText("fraud").withStage(ModelStage.PRODUCTION);
        int[] found = {0};
        double search = median(time(options.warmups(), options.runs(), () -> found[0] = fresh(root).search(query).size()));
        rows.add(new BenchRow("registry: search", "ms", search, floor, "within 2x the floor", search <= 2 * floor,
                "a new ModelRegistry searches text 'fraud' in production (" + found[0] + " found); " + floorDetail));

        fromNewProcesses(metadata);
        promoteAndCompare(snapshot);
    }

    /**
     * SPEC 7 asks for listing and searching "from a cold process": the real command in a new JVM,
     * against {@code cat} of the same files in a new process (both find the files in the page
     * cache, as the other rows do). Needs a {@code cat}; elsewhere the rows are left out.
     *
     * <p>{@code --json registry list} is measured against the text listing in the same loop, each
     * run of one followed by a run of the other (issue 23: at most 1.2 times the text), so that a
     * shared machine's load falls on both alike.
     */
    private void fromNewProcesses(List<Path> metadata) {
        Path cat = Stream.of("/bin/cat", "/usr/bin/cat").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        if (cat == null || metadata.isEmpty()) {
            notes.add("No cat here: listing from a new process was not measured");
            return;
        }
        Path folder = metadata.get(0).getParent();
        List<List<String>> catBatches = catCommands(cat.toString(),
                metadata.stream().map(file -> file.getFileName().toString()).toList(), MAX_ARGUMENT_BYTES);
        double floor = median(time(1, options.runs(), () -> {
            for (List<String> batch : catBatches) {
                runQuietly(batch, folder);
            }
            return null;
        }));
        String floorDetail = "floor: cat of the " + metadata.size() + " metadata files, in a new process"
                + (catBatches.size() > 1 ? " (" + catBatches.size() + " in turn, as xargs would: the names exceed "
                + "one command line)" : "");
        List<String> list = javaCommand(List.of(), MAIN, "--workspace", workspace.toString(), "registry", "list");
        List<String> json = javaCommand(List.of(), MAIN, "--workspace", workspace.toString(), "--json", "registry", "list");
        double[][] listings = timeInTurn(1, options.runs(), () -> runQuietly(list, workspace),
                () -> runQuietly(json, workspace));
        double listing = median(listings[0]);
        rows.add(new BenchRow("registry: list, new process", "ms", listing, floor, "within 2x the floor",
                listing <= 2 * floor, "'neural-mlops registry list' in a new JVM, its table written to nowhere; " + floorDetail));
        double jsonListing = median(listings[1]);
        rows.add(new BenchRow("registry: list --json, new process", "ms", jsonListing, listing,
                "within 1.2x the text listing", jsonListing <= 1.2 * listing,
                "'neural-mlops --json registry list' in a new JVM, its " + metadata.size() + " versions written to "
                        + "nowhere; floor: the text listing of the row above, its runs taken in turn with these"));
        List<String> search = javaCommand(List.of(), MAIN, "--workspace", workspace.toString(), "registry", "list",
                "--search", "fraud", "--stage", "production");
        double searching = median(time(1, options.runs(), () -> runQuietly(search, workspace)));
        rows.add(new BenchRow("registry: search, new process", "ms", searching, floor, "within 2x the floor",
                searching <= 2 * floor, "'neural-mlops registry list --search fraud --stage production' in a new JVM; "
                        + floorDetail));
    }

    /**
     * {@code cat} of {@code names} as commands whose arguments stay under {@code maxBytes} (Linux
     * refuses a command line over 2 MB: 100,000 metadata files need three), in order, each name once.
     */
    static List<List<String>> catCommands(String cat, List<String> names, int maxBytes) {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = null;
        int bytes = 0;
        for (String name : names) {
            int size = name.getBytes(StandardCharsets.UTF_8).length + 1 + Long.BYTES; // the string, its NUL, its pointer
            if (current == null || (current.size() > 1 && bytes + size > maxBytes)) {
                current = new ArrayList<>(List.of(cat));
                commands.add(current);
                bytes = 0;
            }
            current.add(name);
            bytes += size;
        }
        return commands;
    }

    private void promoteAndCompare(RegistrySnapshot snapshot) {
        ModelVersion[] pair = promotionPair(snapshot);
        if (pair == null) {
            notes.add("No model has two versions: promotion and comparison were not measured");
            return;
        }
        String name = pair[0].name();
        Workspace opened = Workspace.open(workspace, USER, Clock.systemUTC(), AuditKey.configured());
        ModelRegistry registry = opened.registry();
        double write = median(time(2, 20, () -> {
            AtomicFiles.write(scratch.resolve("durable-write.json"), new byte[1024]);
            return null;
        }));
        int[] turn = {0};
        double promote = median(time(options.warmups() * 2, options.runs() * 2, () -> {
            ModelVersion next = pair[turn[0]++ % 2];
            return registry.promoteModel(name, next.version(), ModelStage.PRODUCTION, "bench run: promotion timing");
        }));
        boolean specSize = snapshot.versions().size() <= SPEC_VERSIONS * 6 / 5;
        rows.add(new BenchRow("registry: promote to production", "ms", promote, write,
                specTarget("under 50 ms", specSize, "10,000 versions"), specSize ? promote < 50 : null,
                "in process, audited: " + name + " " + pair[0].version() + " and " + pair[1].version()
                        + " promoted in turn (each archives the other); floor: one durable atomic write"));
        Path first = workspace.resolve("models").resolve("metadata").resolve(name + "_" + pair[0].version() + ".json");
        Path second = workspace.resolve("models").resolve("metadata").resolve(name + "_" + pair[1].version() + ".json");
        double floor = median(time(options.warmups(), options.runs() * 4, () -> readAll(List.of(first, second))));
        ModelComparison[] comparison = {null};
        double compare = median(time(options.warmups(), options.runs() * 4,
                () -> comparison[0] = registry.compareModels(name, pair[0].version(), pair[1].version())));
        rows.add(new BenchRow("registry: compare two versions", "ms", compare, floor,
                specTarget("under 50 ms", specSize, "10,000 versions"), specSize ? compare < 50 : null,
                "in process: " + name + " " + pair[0].version() + " vs " + pair[1].version() + " ("
                        + comparison[0].metricsComparison().size() + " metrics); floor: reading their two documents"));
    }

    /** Two versions of one model, the production one first when there is one. */
    private static ModelVersion[] promotionPair(RegistrySnapshot snapshot) {
        for (var summary : snapshot.listModels()) {
            List<ModelVersion> versions = snapshot.listVersions(summary.name());
            if (versions.size() < 2) {
                continue;
            }
            ModelVersion production = snapshot.getProductionVersion(summary.name()).orElse(null);
            if (production == null) {
                return new ModelVersion[] {versions.get(versions.size() - 1), versions.get(versions.size() - 2)};
            }
            ModelVersion other = versions.stream().filter(v -> !v.version().equals(production.version()))
                    .reduce((a, b) -> b).orElseThrow();
            return new ModelVersion[] {other, production};
        }
        return null;
    }

    private static ModelRegistry fresh(Path root) {
        return new ModelRegistry(root);
    }

    // The audit trail

    private void audit() {
        AuditLogger audit = new AuditLogger(workspace.resolve(Workspace.AUDIT), Clock.systemUTC(), AuditKey.configured());
        progress.accept("Audit trail: head at seq " + audit.head().seq());
        notes.add("Workspace: " + workspace + ", audit head at seq " + audit.head().seq() + " before the run");

        Instant monthAgo = now.minus(Duration.ofDays(30));
        List<Path> month = eventFiles(monthAgo, now);
        double monthFloor = median(time(1, Math.min(3, options.runs()), () -> readAll(month)));
        Instant yearAgo = now.minus(Duration.ofDays(365));
        Optional<AuditLogger> baselineTrail = options.baseline().map(baseline -> new AuditLogger(
                baseline.toAbsolutePath().normalize().resolve(Workspace.AUDIT), Clock.systemUTC(), AuditKey.configured()));
        baselineTrail.ifPresent(trail -> progress.accept("The 30-day query and the one-year report, in turn with the baseline "
                + options.baseline().orElseThrow()));
        List<PeriodTimes> both = periodTimes(audit, baselineTrail, monthAgo, yearAgo);
        PeriodTimes times = both.get(0);
        boolean specSize = times.report().totalEvents() <= SPEC_EVENTS_A_YEAR * 6 / 5;
        String specYear = "1,000,000 events a year";
        rows.add(new BenchRow("audit: 30-day query", "ms", times.query(), monthFloor,
                specTarget("under 1 s", specSize, specYear), specSize ? times.query() < 1000 : null,
                "every event of user alice over the last 30 days (" + times.queried() + " of the period's "
                        + month.size() + "), newest first; floor: reading the period's " + month.size() + " event files"));

        progress.accept("Reading a year of event files once for the floor (as cat would)...");
        List<Path> year = eventFiles(yearAgo, now);
        double yearFloor = median(time(1, 1, () -> readAll(year)));
        String yearDetail = "floor: reading the year's " + year.size() + " event files once";
        ComplianceReport report = times.report();
        rows.add(new BenchRow("audit: one-year compliance report", "ms", times.reportMillis(), yearFloor,
                specTarget("under 5 s", specSize, specYear), specSize ? times.reportMillis() < 5000 : null,
                "generateComplianceReport over 365 days (" + report.totalEvents() + " events, "
                        + report.securityViolations().size() + " security violations, integrity of the period from "
                        + "the index: " + (report.integrity().intact() ? "intact" : "NOT intact") + "), saved under "
                        + "reports/; " + yearDetail));
        options.baseline().ifPresent(baseline -> againstBaseline(baseline, times, both.get(1), month.size(), monthAgo));

        export(yearAgo, yearFloor, yearDetail, specSize);
        verify();
    }

    /** SPEC 7's {@code target} as a row states it: judged at SPEC 7's size, named only beyond it. */
    static String specTarget(String target, boolean specSize, String size) {
        return specSize ? target : "SPEC 7: " + target + " at " + size + " (not judged at this size)";
    }

    /** The timed 30-day query (user alice) and one-year compliance report of one trail. */
    private record PeriodTimes(double query, int queried, double reportMillis, ComplianceReport report, long head) {
    }

    /**
     * The times of {@code audit}'s trail and, when given, the baseline's (second in the list). The
     * two trails take turns, run by run (warm-ups included), so that the JIT's warm-up, the page
     * cache and the machine's load fall alike on both: timed one after the other, the baseline
     * ran minutes later, with more of the code compiled and at another load. With a baseline, both
     * take at least {@link #BASELINE_WARMUPS} warm-ups and {@link #BASELINE_RUNS} timed runs.
     */
    private List<PeriodTimes> periodTimes(AuditLogger audit, Optional<AuditLogger> baseline, Instant monthAgo,
                                          Instant yearAgo) {
        AuditFilter byUser = AuditFilter.all().withUser("alice").withPeriod(monthAgo, now);
        List<AuditLogger> trails = baseline.map(other -> List.of(audit, other)).orElse(List.of(audit));
        QueryResult[] results = new QueryResult[trails.size()];
        double[][] query = timeEach(trails.size(), trail -> results[trail] = trails.get(trail).query(byUser, 0));
        ComplianceReport[] reports = new ComplianceReport[trails.size()];
        double[][] report = timeEach(trails.size(),
                trail -> reports[trail] = trails.get(trail).generateComplianceReport(yearAgo, now, USER));
        List<PeriodTimes> times = new ArrayList<>();
        for (int trail = 0; trail < trails.size(); trail++) {
            times.add(new PeriodTimes(median(query[trail]), results[trail].events().size(), median(report[trail]),
                    reports[trail], trails.get(trail).head().seq()));
        }
        return times;
    }

    /** The milliseconds of {@code action} on each of {@code count} trails, in turn when there are two. */
    private double[][] timeEach(int count, IntFunction<Object> action) {
        if (count == 1) {
            return new double[][] {time(options.warmups(), options.runs(), () -> action.apply(0))};
        }
        return timeInTurn(baselineWarmups(), baselineRuns(), () -> action.apply(0), () -> action.apply(1));
    }

    private int baselineWarmups() {
        return Math.max(options.warmups(), BASELINE_WARMUPS);
    }

    private int baselineRuns() {
        return Math.max(options.runs(), BASELINE_RUNS);
    }

    /**
     * The same query and report on a smaller trail, timed in this run: the larger trail's times
     * should follow its period, not its size (issue 23). They are compared per event of the period,
     * since two generated trails rarely hold as many events a day: ten million events over three
     * years put 9,100 in a day, a million over one year 2,740, and a period of the first holds 3.3
     * times the events of the same period of the second. Per event of the period, a cost that follows
     * the period comes out the same on both trails, and one that grows with the trail does not. The
     * raw times and the events of each period are in the rows' details.
     */
    private void againstBaseline(Path baseline, PeriodTimes times, PeriodTimes base, int monthEvents, Instant monthAgo) {
        Path root = baseline.toAbsolutePath().normalize();
        int baseMonthEvents = eventFiles(root, monthAgo, now).size();
        String sizes = "this trail: " + times.head() + " events; the baseline " + baseline + ": " + base.head();
        double query = perEvent(times.query(), monthEvents);
        double baseQuery = perEvent(base.query(), baseMonthEvents);
        rows.add(new BenchRow("audit: 30-day query, against the baseline", PER_EVENT, query, baseQuery,
                "at most 1.2x the baseline, per event of the period", query <= 1.2 * baseQuery,
                "the 30-day query's time over the events of its period: " + millis(times.query()) + " for "
                        + monthEvents + " events here (" + times.queried() + " of them alice's), "
                        + millis(base.query()) + " for " + baseMonthEvents + " in the baseline (" + base.queried()
                        + "); " + sizes + "; " + inTurn()));
        long reportEvents = times.report().totalEvents();
        long baseReportEvents = base.report().totalEvents();
        double report = perEvent(times.reportMillis(), reportEvents);
        double baseReport = perEvent(base.reportMillis(), baseReportEvents);
        rows.add(new BenchRow("audit: one-year report, against the baseline", PER_EVENT, report, baseReport,
                "at most 1.2x the baseline, per event of the period", report <= 1.2 * baseReport,
                "the one-year report's time over the events of its year: " + millis(times.reportMillis()) + " for "
                        + reportEvents + " events here, " + millis(base.reportMillis()) + " for " + baseReportEvents
                        + " in the baseline; " + sizes + "; " + inTurn()));
    }

    /** How the rows against the baseline were timed. */
    private String inTurn() {
        return "medians of " + baselineRuns() + " runs after " + baselineWarmups()
                + " warm-ups, the two trails taking turns to lead";
    }

    /** Microseconds per event: {@code millis} over {@code events} (at least one). */
    private static double perEvent(double millis, long events) {
        return millis * 1000 / Math.max(1, events);
    }

    private static String millis(double millis) {
        return BenchReport.amount(millis, "ms");
    }

    /**
     * The whole trail verified in a JVM capped at 256 MB of heap, each run beside its floor (so that
     * both meet the same load): sha256sum of every event file, two at a time, as the 2 cores allow.
     */
    private void verify() {
        Path events = workspace.resolve(Workspace.AUDIT).resolve("events");
        List<String> floorCommand = List.of("sh", "-c", "find \"$0\" -name '*.json' -print0 | xargs -0 -r -P2 -n 2000 "
                + "sha256sum > /dev/null", events.toString());
        try {
            runQuietly(List.of("sh", "-c", "command -v sha256sum && command -v xargs"), scratch);
        } catch (IOException | InterruptedException | MlopsException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            notes.add("audit verify not measured: its floor needs sh, find, xargs and sha256sum (" + e.getMessage() + ")");
            return;
        }
        int runs = Math.min(3, options.runs());
        double[] floors = new double[runs];
        double[] verifies = new double[runs];
        long peak = 0;
        String last = "";
        for (int run = 0; run < runs; run++) {
            progress.accept("Whole-trail verify beside sha256sum of every event file, run " + (run + 1) + " of " + runs);
            floors[run] = time(0, 1, () -> runQuietly(floorCommand, scratch))[0];
            try {
                last = child(List.of("-Xmx256m"), VerifyProbe.class, workspace.resolve(Workspace.AUDIT).toString());
            } catch (ProbeFailed failed) {
                rows.add(new BenchRow("audit: verify the whole trail", "ms", Double.NaN, floors[run],
                        "within 1.5x the floor, heap under 256 MB", false, "run " + (run + 1) + " failed, in a JVM run "
                                + "with -Xmx256m: " + failed.reason()));
                return;
            }
            verifies[run] = Double.parseDouble(field(last, "elapsed_ms"));
            peak = Math.max(peak, Long.parseLong(field(last, "peak_heap_mb")));
        }
        double floor = median(floors);
        double verify = median(verifies);
        rows.add(verifyRow(verify, floor, Long.parseLong(field(last, "checked")), field(last, "intact"), peak));
    }

    /**
     * The row of the whole-trail verify: its time against {@code sha256sum}'s judged on a trail of
     * {@link #VERIFY_EVENTS} or more, its peak heap on any trail.
     */
    static BenchRow verifyRow(double verify, double floor, long checked, String intact, long peakHeapMb) {
        boolean judged = checked >= VERIFY_EVENTS;
        String target = judged ? "within 1.5x the floor, heap under 256 MB"
                : "heap under 256 MB; issue 23's 1.5x the floor is for 10,000,000 events (not judged at this size)";
        return new BenchRow("audit: verify the whole trail", "ms", verify, floor, target,
                peakHeapMb < 256 && (!judged || verify <= 1.5 * floor), "every event file read and its hash recomputed, "
                        + "the chain checked in order, in a JVM run with -Xmx256m (" + checked + " chained events, intact: "
                        + intact + ", peak heap " + peakHeapMb + " MB); floor: sha256sum of every event file, two "
                        + "processes at a time (find | xargs -P2 sha256sum), measured beside each run");
    }

    /** {@code specSize}: the year holds SPEC 7's million events, whose export it wants under 20 s (the heap is judged at any size). */
    private void export(Instant yearAgo, double yearFloor, String yearDetail, boolean specSize) {
        List<Double> elapsed = new ArrayList<>();
        long peak = 0;
        long live = 0;
        long count = 0;
        for (int run = 0; run < options.runs(); run++) {
            progress.accept("One-year CSV export in a process capped at 256 MB of heap, run " + (run + 1));
            Path out = scratch.resolve("export-" + run + ".csv");
            String line;
            try {
                line = child(List.of("-Xmx256m"), ExportProbe.class, workspace.resolve(Workspace.AUDIT).toString(),
                        out.toString(), yearAgo.toString(), now.toString(), USER);
            } catch (ProbeFailed failed) {
                rows.add(new BenchRow("audit: one-year CSV export", "ms", Double.NaN, yearFloor, "heap under 256 MB", false,
                        "run " + (run + 1) + " failed, in a JVM run with -Xmx256m: " + failed.reason() + "; " + yearDetail));
                deleteQuietly(out);
                return;
            }
            elapsed.add(Double.parseDouble(field(line, "elapsed_ms")));
            peak = Math.max(peak, Long.parseLong(field(line, "peak_heap_mb")));
            live = Math.max(live, Long.parseLong(field(line, "live_after_gc_mb")));
            count = Long.parseLong(field(line, "count"));
            deleteQuietly(out);
        }
        double median = median(elapsed.stream().mapToDouble(Double::doubleValue).toArray());
        rows.add(new BenchRow("audit: one-year CSV export", "ms", median, yearFloor, specSize
                ? "under 20 s, heap under 256 MB" : "heap under 256 MB; SPEC 7: under 20 s at 1,000,000 events a year "
                + "(not judged at this size)", (!specSize || median < 20_000) && peak < 256, count + " events to CSV in a separate JVM run with -Xmx256m; peak heap "
                        + peak + " MB in use (garbage included, sampled every 5 ms), at most " + live + " MB held after a collection; " + yearDetail));
    }

    // Appends

    /**
     * The append rows write to a trail of their own under the scratch folder, removed at the end.
     * On the workspace's trail each run added some 8,000 events to the day it ran on, and twenty
     * runs in a day made a day of 150,000 events that then weighed on every row that reads it. Each
     * append costs the same on either trail: its file made durable, the group commit, head.json.
     */
    private void appends() {
        Path root = scratch.resolve("appended").resolve(Workspace.AUDIT);
        AuditLogger audit = new AuditLogger(root, Clock.systemUTC(), AuditKey.configured());
        double write = median(time(2, 20, () -> {
            AtomicFiles.write(scratch.resolve("durable-write.json"), new byte[700]);
            return null;
        }));
        double floorRate = 1000 / write;
        int threads = options.appendThreads();
        int each = options.appendsPerThread();
        double single = rate(time(1, 1, () -> Appends.run(audit, USER, 1, each)), each);
        rows.add(new BenchRow("audit: durable appends, 1 thread", "events/s", single, floorRate, "", null,
                "one thread appending " + each + " events to a trail of the benchmark's own, each durable before the next "
                        + "(after as many untimed); "
                        + "floor: one durable atomic write per event"));
        double[] times = time(options.warmups(), options.runs(), () -> Appends.run(audit, USER, threads, each));
        double oneProcess = rate(new double[] {median(times)}, threads * each);
        rows.add(new BenchRow("audit: durable appends, 1 process", "events/s", oneProcess, floorRate, "500 events/s or more",
                oneProcess >= 500, threads + " threads x " + each + " events, group-committed; each returns once its "
                        + "event is on disk; floor: one durable atomic write per event"));

        Instant started = Instant.now();
        List<Double> walls = new ArrayList<>();
        for (int run = 0; run < options.runs(); run++) {
            progress.accept("Two processes appending at once, run " + (run + 1));
            walls.add(twoProcesses(root, threads, each));
        }
        double twoRate = 2.0 * threads * each * 1000 / median(walls.stream().mapToDouble(Double::doubleValue).toArray());
        String check = checkTwoProcesses(audit, started, (long) options.runs() * threads * each);
        rows.add(new BenchRow("audit: 2 processes appending", "events/s", twoRate, floorRate,
                "no lost or duplicated event", check.isEmpty(), "two JVMs of " + threads + " threads x " + each
                        + " events each, at once (warmed up on a scratch trail first); " + (check.isEmpty() ? "every event present once, seqs contiguous, "
                        + "the chain of the period verifies" : "PROBLEM: " + check)));
    }

    private double twoProcesses(Path root, int threads, int each) {
        List<Process> children = new ArrayList<>();
        try {
            for (String user : List.of("bench-p1", "bench-p2")) {
                children.add(start(List.of(), AppendProbe.class, root.toString(), user, String.valueOf(threads),
                        String.valueOf(each), scratch.resolve("warmup-" + user + "-" + System.nanoTime()).toString()));
            }
            List<BufferedReader> outputs = new ArrayList<>();
            for (Process child : children) {
                BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                expect(output, "ready");
                outputs.add(output);
            }
            long start = System.nanoTime();
            for (Process child : children) {
                OutputStream in = child.getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            for (BufferedReader output : outputs) {
                expect(output, "done");
            }
            double wall = (System.nanoTime() - start) / 1e6;
            for (Process child : children) {
                if (!child.waitFor(1, TimeUnit.MINUTES) || child.exitValue() != 0) {
                    throw new MlopsException("An appending process failed (exit " + child.exitValue() + ")");
                }
            }
            return wall;
        } catch (IOException e) {
            throw new MlopsException("Could not run the appending processes: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlopsException("Interrupted while waiting for the appending processes", e);
        } finally {
            children.forEach(Process::destroy);
        }
    }

    /** Empty when every event of the two processes is in the trail once and the chain of the period verifies. */
    private static String checkTwoProcesses(AuditLogger audit, Instant since, long expectedEach) {
        Set<Long> seqs = new HashSet<>();
        for (String user : List.of("bench-p1", "bench-p2")) {
            List<AuditEvent> events = audit.queryEvents(AuditFilter.all().withUser(user).withSince(since));
            if (events.size() != expectedEach) {
                return user + " appended " + expectedEach + " events but the trail holds " + events.size();
            }
            for (AuditEvent event : events) {
                if (!seqs.add(event.seq())) {
                    return "seq " + event.seq() + " was given twice";
                }
            }
        }
        IntegrityReport integrity = audit.verifyIntegrity(since, Instant.now());
        return integrity.intact() ? "" : integrity.problems().size() + " integrity problem(s), the first: "
                + integrity.problems().get(0).message();
    }

    // Floors and timing

    /** Reads every file once, as cat would; returns the bytes read. */
    private static long readAll(List<Path> files) {
        long bytes = 0;
        for (Path file : files) {
            try {
                bytes += Files.readAllBytes(file).length;
            } catch (IOException e) {
                throw StoreIOException.of("read", file, e);
            }
        }
        return bytes;
    }

    /** The event files of the day folders of [from, to]. */
    private List<Path> eventFiles(Instant from, Instant to) {
        return eventFiles(workspace, from, to);
    }

    /** The event files of the day folders of [from, to] in the trail of workspace {@code root}. */
    private static List<Path> eventFiles(Path root, Instant from, Instant to) {
        List<Path> files = new ArrayList<>();
        Path events = root.resolve(Workspace.AUDIT).resolve("events");
        for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); !day.isAfter(LocalDate.ofInstant(to, ZoneOffset.UTC));
             day = day.plusDays(1)) {
            Path folder = events.resolve(String.format("%04d/%02d/%02d", day.getYear(), day.getMonthValue(),
                    day.getDayOfMonth()));
            files.addAll(files(folder, name -> name.endsWith(".json")));
        }
        return files;
    }

    private static List<Path> files(Path folder, java.util.function.Predicate<String> wanted) {
        String[] names = folder.toFile().list();
        if (names == null) {
            return List.of();
        }
        Arrays.sort(names);
        List<Path> files = new ArrayList<>(names.length);
        for (String name : names) {
            if (!name.startsWith(".") && wanted.test(name)) {
                files.add(folder.resolve(name));
            }
        }
        return files;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlopsException("Interrupted while waiting for the listing cache to settle", e);
        }
    }

    /** Milliseconds of each timed run of {@code action}, after the warm-up runs. */
    private static double[] time(int warmups, int runs, Callable<?> action) {
        try {
            for (int i = 0; i < warmups; i++) {
                action.call();
            }
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                action.call();
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            return millis;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new MlopsException("A timed operation failed: " + e.getMessage(), e);
        }
    }

    /**
     * {@link #time} of two actions whose runs alternate, each leading every other round (first and
     * second, then second and first, ...) so that neither always runs on code the other's run just
     * had compiled: their milliseconds, first then second.
     */
    static double[][] timeInTurn(int warmups, int runs, Callable<?> first, Callable<?> second) {
        double[][] millis = new double[2][runs];
        for (int i = 0; i < warmups + runs; i++) {
            double a;
            double b;
            if (i % 2 == 0) {
                a = time(0, 1, first)[0];
                b = time(0, 1, second)[0];
            } else {
                b = time(0, 1, second)[0];
                a = time(0, 1, first)[0];
            }
            if (i >= warmups) {
                millis[0][i - warmups] = a;
                millis[1][i - warmups] = b;
            }
        }
        return millis;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double rate(double[] millis, long events) {
        return events * 1000 / median(millis);
    }

    // Child processes

    /** The command that runs {@code mainClass} in a new JVM of this runtime, on this class path made absolute. */
    private static List<String> javaCommand(List<String> jvmOptions, String mainClass, String... args) {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@code command} in {@code folder} with its output discarded; fails when it does. */
    private static Void runQuietly(List<String> command, Path folder) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(folder.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new MlopsException("'" + String.join(" ", command.subList(0, Math.min(4, command.size())))
                    + " ...' failed with exit status " + process.exitValue());
        }
        return null;
    }

    private static Process start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        return new ProcessBuilder(javaCommand(jvmOptions, main.getName(), args))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Runs a child to its end and returns its last line of output. */
    private static String child(List<String> jvmOptions, Class<?> main, String... args) {
        try {
            Process process = start(jvmOptions, main, args);
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new ProbeFailed(main.getSimpleName(), process.exitValue(), output);
            }
            String[] lines = output.split("\n");
            return lines[lines.length - 1];
        } catch (IOException e) {
            throw new MlopsException("Could not run " + main.getSimpleName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlopsException("Interrupted while waiting for " + main.getSimpleName(), e);
        }
    }

    /** A measuring child process that ended in failure; {@link #reason} says why in one line. */
    static final class ProbeFailed extends MlopsException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        ProbeFailed(String probe, int exit, String output) {
            super(probe + " failed (exit " + exit + "): " + output);
            this.reason = probe + " exited with " + exit + ": " + firstError(output);
        }

        String reason() {
            return reason;
        }

        /**
         * The line of a child's output that names its failure (an exception's), else its last line;
         * a child that printed nothing wrote its error to the error stream, which the run's shows.
         */
        static String firstError(String output) {
            String[] lines = output.strip().split("\n");
            for (String line : lines) {
                if (line.contains("Exception") || line.contains("Error")) {
                    return line.strip();
                }
            }
            String last = lines[lines.length - 1].strip();
            return last.isEmpty() ? "see its error output, printed above the table" : last;
        }
    }

    private static void expect(BufferedReader output, String prefix) throws IOException {
        String line;
        while ((line = output.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return;
            }
        }
        throw new MlopsException("A child process ended before printing '" + prefix + "'");
    }

    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new MlopsException("The child process printed no " + name + ": " + line);
    }

    private static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover scratch file goes with the scratch folder.
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(BenchRunner::deleteQuietly);
        } catch (IOException e) {
            // Best effort: the hidden scratch folder holds nothing of the workspace.
        }
    }
}
