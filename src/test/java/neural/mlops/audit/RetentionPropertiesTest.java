package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import neural.mlops.store.Json;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.Storage;
import neural.mlops.testing.TestClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Adopting and archiving (issue 18) never change what verification says about the events they did
 * not touch, over random trails of chained and unchained (the original module's) events, some of
 * them edited, and random adopt --until and archive --before points.
 */
class RetentionPropertiesTest {

    static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 10);

    /** One day of the trail: how many unchained and chained events it holds, and which chained ones are edited. */
    record DayPlan(int unchained, int chained, int editedMask) {
    }

    @Provide
    Arbitrary<List<DayPlan>> trails() {
        Arbitrary<DayPlan> day = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 7)).as(DayPlan::new);
        return day.list().ofMinSize(1).ofMaxSize(5);
    }

    /** A trail in a temporary folder, as written: its unchained files with their times. */
    static final class Trail implements AutoCloseable {
        final Path folder;
        final Storage storage;
        final TestClock clock = TestClock.at("2024-01-01T00:00:00Z");
        final AuditLogger audit;
        final Map<String, Instant> unchained = new TreeMap<>();
        final List<Path> chainedFiles = new ArrayList<>();

        Trail(List<DayPlan> plan, boolean edit) throws IOException {
            folder = Files.createTempDirectory("retention-properties");
            storage = new LocalStorage(folder);
            audit = new AuditLogger(storage.under("audit_logs"), clock, Optional.empty(), OutputGuard.outside(List.of(folder)),
                    java.time.ZoneOffset.UTC);
            // The original module wrote the first days, this product the next ones (the migration's order:
            // chained appends into a day folder holding the original's files are refused, see the report).
            for (int i = 0; i < plan.size(); i++) {
                LocalDate day = FIRST_DAY.plusDays(i);
                for (int n = 1; n <= plan.get(i).unchained(); n++) {
                    Instant at = day.atTime(8, n * 7).toInstant(java.time.ZoneOffset.UTC);
                    unchained.put(legacyEvent(at, n).toString(), at);
                }
            }
            for (int i = 0; i < plan.size(); i++) {
                LocalDate day = FIRST_DAY.plusDays(plan.size() + i);
                DayPlan today = plan.get(i);
                for (int n = 0; n < today.chained(); n++) {
                    clock.set(day.atTime(12, n * 5).toInstant(java.time.ZoneOffset.UTC));
                    AuditEvent event = audit.logModelDeployment("fraud_detector", "1.0." + n, "devops", "production");
                    Path file = eventFile(day, event);
                    chainedFiles.add(file);
                    if (edit && (today.editedMask() & (1 << n)) != 0) {
                        editUser(file);
                    }
                }
            }
            clock.set(Instant.parse("2024-02-01T09:00:00Z"));
        }

        private Path legacyEvent(Instant at, int counter) {
            String id = "event_" + UtcTime.fileStamp(at) + "_" + String.format("%06d", counter);
            String json = "{\"event_id\": \"" + id + "\", \"event_type\": \"data_access\", \"timestamp\": \""
                    + at.toString().replace("Z", "") + "\", \"user\": \"alice\", \"severity\": \"info\", "
                    + "\"resource_type\": \"dataset\", \"resource_id\": \"transactions\", \"action\": \"read\", "
                    + "\"details\": {}, \"ip_address\": null, \"tags\": []}";
            Key key = Key.of("audit_logs/" + TrailLayout.dayFolder(TrailLayout.day(at)) + "/" + id + ".json");
            storage.create(key, json.getBytes(StandardCharsets.UTF_8));
            return folder.resolve(key.value());
        }

        private Path eventFile(LocalDate day, AuditEvent event) {
            return folder.resolve("audit_logs").resolve(TrailLayout.dayFolder(day))
                    .resolve(TrailLayout.eventFileName(event.timestamp(), event.seq()));
        }

        @Override
        public void close() throws IOException {
            storage.close();
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    AuditLogger auditAt(Trail trail) {
        return new AuditLogger(trail.storage.under("audit_logs"), trail.clock, Optional.empty(),
                OutputGuard.outside(List.of(trail.folder)), java.time.ZoneOffset.UTC);
    }

    static void editUser(Path file) {
        try {
            ObjectNode document = (ObjectNode) Json.storedMapper().readTree(Files.readAllBytes(file));
            document.put("user", "eve");
            Files.write(file, Json.mapper().writeValueAsBytes(document));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Verification's verdict per event file (its problems' kinds); files it has nothing to say about are absent. */
    static Map<String, Set<ProblemKind>> verdicts(IntegrityReport report) {
        Map<String, Set<ProblemKind>> verdicts = new TreeMap<>();
        for (IntegrityProblem problem : report.problems()) {
            if (problem.file() != null && problem.file().toString().contains("/events/")
                    && problem.file().toString().endsWith(".json")) {
                verdicts.computeIfAbsent(problem.file().toString(), file -> EnumSet.noneOf(ProblemKind.class))
                        .add(problem.kind());
            }
        }
        return verdicts;
    }

    static Map<String, Set<ProblemKind>> without(Map<String, Set<ProblemKind>> verdicts, Set<String> touched) {
        Map<String, Set<ProblemKind>> kept = new TreeMap<>(verdicts);
        kept.keySet().removeIf(file -> touched.stream().anyMatch(file::endsWith));
        return kept;
    }

    @Property(tries = 40)
    void adoptingNeverChangesTheVerdictOnEventsItDidNotTouch(@ForAll("trails") List<DayPlan> plan,
                                                             @ForAll @IntRange(min = 0, max = 10) int untilDay,
                                                             @ForAll @IntRange(min = 0, max = 23) int untilHour)
            throws IOException {
        try (Trail trail = new Trail(plan, true)) {
            AuditLogger audit = auditAt(trail);
            Map<String, Set<ProblemKind>> before = verdicts(audit.verifyIntegrity());
            Instant until = FIRST_DAY.plusDays(untilDay).atTime(untilHour, 0).toInstant(java.time.ZoneOffset.UTC);
            Set<String> adopted = new HashSet<>();
            trail.unchained.forEach((file, at) -> {
                if (!at.isAfter(until)) {
                    adopted.add(trail.folder.relativize(Path.of(file)).toString().substring("audit_logs/".length()));
                }
            });

            AdoptionResult result = audit.adopt(until, "carol", "migrated");

            assertThat(result.adopted()).isEqualTo(adopted.size());
            Map<String, Set<ProblemKind>> after = verdicts(audit.verifyIntegrity());
            assertThat(without(after, adopted)).isEqualTo(without(before, adopted));
            assertThat(after.keySet()).noneMatch(file -> adopted.stream().anyMatch(file::endsWith));
        }
    }

    @Property(tries = 30)
    void archivingNeverChangesTheVerdictOnEventsItDidNotTouch(@ForAll("trails") List<DayPlan> plan,
                                                              @ForAll @IntRange(min = 1, max = 10) int beforeDay,
                                                              @ForAll @IntRange(min = 0, max = 100) int editAfter)
            throws IOException {
        try (Trail trail = new Trail(plan, false)) {
            AuditLogger audit = auditAt(trail);
            if (!trail.unchained.isEmpty()) {
                audit.adopt(null, "carol", "migrated");
            }
            IntegrityReport first = audit.verifyIntegrity();
            assertThat(first.intact()).as(String.valueOf(first.problems())).isTrue();
            LocalDate before = FIRST_DAY.plusDays(beforeDay);
            boolean anything = trail.unchained.values().stream().anyMatch(at -> TrailLayout.day(at).isBefore(before))
                    || trail.chainedFiles.stream().anyMatch(file -> !LocalDate.parse(file.getParent().toString()
                            .substring(file.getParent().toString().length() - 10).replace('/', '-')).isAfter(before.minusDays(1)));
            if (!anything) {
                return; // nothing to archive before that day: refused, nothing changes
            }
            Path zip = Files.createTempFile("retention-properties", ".zip");
            try {
                audit.archive(before, zip, "carol", "retention", true);

                IntegrityReport after = audit.verifyIntegrity();
                assertThat(after.intact()).as(String.valueOf(after.problems())).isTrue();
                assertThat(audit.verifyArchive(zip).intact()).isTrue();
                // Verification still covers what the archive left: an edit to any remaining event is caught, by name.
                List<Path> left = new ArrayList<>();
                for (Path file : trail.chainedFiles) {
                    if (Files.exists(file)) {
                        left.add(file);
                    }
                }
                for (String file : trail.unchained.keySet()) {
                    if (Files.exists(Path.of(file))) {
                        left.add(Path.of(file));
                    }
                }
                if (!left.isEmpty()) {
                    Path edited = left.get(editAfter % left.size());
                    editUser(edited);
                    assertThat(verdicts(audit.verifyIntegrity()).keySet())
                            .anyMatch(file -> file.endsWith(edited.getFileName().toString()));
                }
            } finally {
                Files.deleteIfExists(zip);
            }
        }
    }
}
