package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.TestStorages;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adopting unchained events and archiving past days (issue 18 items 3 and 4), on every backend:
 * a folder ({@link LocalRetentionTest}) and S3 ({@link S3RetentionTest}).
 */
abstract class RetentionContract {

    protected abstract TestStorages.Backend backend();

    @TempDir
    Path folder;

    @TempDir
    Path outputs;

    Storage workspace;
    Storage trail;
    TestClock clock;

    Path workspaceFolder;

    @BeforeEach
    void open() {
        openAt("workspace");
    }

    /** A fresh workspace in the folder {@code name}, its clock back at the start. */
    void openAt(String name) {
        workspaceFolder = folder.resolve(name);
        workspace = TestStorages.create(backend(), workspaceFolder);
        trail = workspace.under("audit_logs");
        clock = TestClock.at("2024-01-12T09:00:00Z");
    }

    @AfterEach
    void close() {
        workspace.close();
    }

    AuditLogger audit() {
        return audit(Optional.empty());
    }

    AuditLogger audit(Optional<AuditKey> key) {
        return new AuditLogger(trail, clock, key, OutputGuard.outside(List.of(workspaceFolder)));
    }

    /** An event as the original Python module writes it (no seq, no hash), at {@code time}, under the original's name. */
    Key legacyEvent(String time, int counter, String user) {
        Instant at = Instant.parse(time);
        String stamp = neural.mlops.store.UtcTime.fileStamp(at);
        String id = "event_" + stamp + "_" + String.format("%06d", counter);
        String json = "{\"event_id\": \"" + id + "\", \"event_type\": \"model_registered\", \"timestamp\": \"" + time
                + "\", \"user\": \"" + user + "\", \"severity\": \"info\", \"resource_type\": \"model\", "
                + "\"resource_id\": \"fraud_detector:v1\", \"action\": \"register\", \"details\": {\"framework\": \"torch\"}, "
                + "\"ip_address\": null, \"tags\": []}";
        Key key = Key.of(TrailLayout.dayFolder(TrailLayout.day(at)) + "/" + id + ".json");
        trail.create(key, json.getBytes(StandardCharsets.UTF_8));
        return key;
    }

    /** Three legacy events over two days, then chained events on the next two days. */
    List<Key> legacyThenChained(AuditLogger audit) {
        List<Key> legacy = new ArrayList<>();
        legacy.add(legacyEvent("2024-01-10T10:00:00Z", 1, "alice"));
        legacy.add(legacyEvent("2024-01-10T11:00:00Z", 2, "bob"));
        legacy.add(legacyEvent("2024-01-11T10:00:00Z", 1, "alice"));
        chained(audit, 3);
        return legacy;
    }

    void chained(AuditLogger audit, int count) {
        for (int i = 0; i < count; i++) {
            audit.logModelDeployment("fraud_detector", "1.0." + i, "devops", "production");
            clock.advance(Duration.ofHours(7));
        }
    }

    static String name(Key key) {
        return key.fileName();
    }

    // Adopt

    @Test
    void afterAdoptionTheLegacyEventsAreAdoptedAndVerifyIsIntact() {
        AuditLogger audit = audit();
        legacyThenChained(audit);
        IntegrityReport before = audit.verifyIntegrity();
        assertThat(before.problems()).extracting(IntegrityProblem::kind).containsOnly(ProblemKind.UNCHAINED);
        assertThat(before.unchainedEvents()).isEqualTo(3);

        AdoptionResult adoption = audit.adopt(null, "carol", "migrated from the Python module, checked by hand");

        assertThat(adoption.adopted()).isEqualTo(3);
        assertThat(adoption.recorded()).singleElement().satisfies(event -> {
            assertThat(event.eventType()).isEqualTo(EventType.INTEGRITY_CHECK);
            assertThat(event.action()).isEqualTo("adopt");
            assertThat(event.reason()).isEqualTo("migrated from the Python module, checked by hand");
            assertThat(event.user()).isEqualTo("carol");
        });
        IntegrityReport after = audit.verifyIntegrity();
        assertThat(after.problems()).isEmpty();
        assertThat(after.adoptedEvents()).isEqualTo(3);
        assertThat(after.unchainedEvents()).isZero();
        assertThat(after.notes()).anySatisfy(note -> assertThat(note).contains("3 unchained event file(s) adopted"));
        // Adopting again finds nothing new and records nothing.
        AdoptionResult again = audit.adopt(null, "carol", "again");
        assertThat(again.recorded()).isEmpty();
        assertThat(again.alreadyAdopted()).isEqualTo(3);
    }

    @Test
    void aReportOverAnAdoptedPeriodIsIntact() {
        AuditLogger audit = audit();
        legacyThenChained(audit);
        audit.adopt(null, "carol", "migrated");

        ComplianceReport report = audit.generateComplianceReport(Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2024-02-01T00:00:00Z"), "carol");

        assertThat(report.integrity().problems()).isEmpty();
        assertThat(report.integrity().adoptedEvents()).isEqualTo(3);
    }

    @Test
    void editingAnAdoptedFileFailsVerifyNamingIt() {
        AuditLogger audit = audit();
        Key bobs = legacyThenChained(audit).get(1);
        audit.adopt(null, "carol", "migrated");
        byte[] content = trail.read(bobs, 1 << 20).orElseThrow().content();
        trail.write(bobs, new String(content, StandardCharsets.UTF_8).replace("bob", "eve").getBytes(StandardCharsets.UTF_8),
                Condition.none());

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MODIFIED);
            assertThat(problem.file().toString()).endsWith(name(bobs));
            assertThat(problem.message()).contains("changed after seq");
        });
    }

    @Test
    void deletingAnAdoptedFileFailsVerifyNamingIt() {
        AuditLogger audit = audit();
        Key bobs = legacyThenChained(audit).get(1);
        audit.adopt(null, "carol", "migrated");
        trail.delete(bobs, Condition.none());

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MISSING);
            assertThat(problem.file().toString()).endsWith(name(bobs));
        });
    }

    @Test
    void aFileInsertedAmongAdoptedOnesFailsVerifyAndCanBeAdoptedByRunningItAgain() {
        AuditLogger audit = audit();
        legacyThenChained(audit);
        audit.adopt(null, "carol", "migrated");
        Key inserted = legacyEvent("2024-01-10T10:30:00Z", 7, "mallory");

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.UNCHAINED);
            assertThat(problem.file().toString()).endsWith(name(inserted));
            assertThat(problem.message()).contains("after the last adoption");
        });
        assertThat(audit.adopt(null, "carol", "mallory's event is genuine").adopted()).isEqualTo(1);
        assertThat(audit.verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void adoptTakesOnlyEventsUpToUntil() {
        AuditLogger audit = audit();
        legacyThenChained(audit);

        AdoptionResult adoption = audit.adopt(Instant.parse("2024-01-10T23:59:59Z"), "carol", "the first day only");

        assertThat(adoption.adopted()).isEqualTo(2);
        IntegrityReport report = audit.verifyIntegrity();
        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.UNCHAINED);
            assertThat(problem.file().toString()).contains("2024/01/11");
        });
    }

    @Test
    void adoptWithoutAReasonIsRefusedAndWritesNothing() {
        AuditLogger audit = audit();
        legacyThenChained(audit);
        long head = audit.head().seq();

        assertThatThrownBy(() -> audit.adopt(null, "carol", " ")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--reason");
        assertThat(audit.head().seq()).isEqualTo(head);
    }

    // Archive

    @Test
    void afterArchivingVerifyIsIntactAndTheArchiveVerifiesOnItsOwn() {
        AuditLogger audit = audit();
        legacyThenChained(audit);
        audit.adopt(null, "carol", "migrated");
        chained(audit, 4);
        Path zip = outputs.resolve("trail-2024-01.zip");

        ArchiveResult result = audit.archive(LocalDate.parse("2024-01-13"), zip, "carol", "keep 30 days", false);

        assertThat(result.days()).containsExactly(LocalDate.parse("2024-01-10"), LocalDate.parse("2024-01-11"),
                LocalDate.parse("2024-01-12"));
        assertThat(result.firstSeq()).isEqualTo(1);
        assertThat(result.sha256()).isEqualTo(TrailArchive.sha256(zip));
        assertThat(result.notDeleted()).isEmpty();
        assertThat(result.checkpoint().action()).isEqualTo("archive");
        assertThat(trail.list(TrailLayout.dayFolder(LocalDate.parse("2024-01-10")))).isEmpty();
        IntegrityReport trailReport = audit.verifyIntegrity();
        assertThat(trailReport.problems()).isEmpty();
        assertThat(trailReport.archivedEvents()).isEqualTo(result.lastSeq() - result.firstSeq() + 1);
        assertThat(trailReport.notes()).anySatisfy(note -> assertThat(note).contains("archived in trail-2024-01.zip"));
        IntegrityReport archiveReport = audit.verifyArchive(zip);
        assertThat(archiveReport.problems()).isEmpty();
        assertThat(archiveReport.unchainedEvents()).isEqualTo(3);
        // Appending goes on after the checkpoint, and stays intact.
        chained(audit, 1);
        assertThat(audit.verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void aReportAndAnExportOverAnArchivedPeriodSaySo() {
        AuditLogger audit = audit();
        chained(audit, 6);
        audit.archive(LocalDate.parse("2024-01-13"), outputs.resolve("a.zip"), "carol", "retention", false);
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        Instant end = Instant.parse("2024-02-01T00:00:00Z");

        ComplianceReport report = audit.generateComplianceReport(start, end, "carol");

        assertThat(report.integrity().problems()).isEmpty();
        assertThat(report.integrity().notes()).anySatisfy(note -> assertThat(note).contains("archived"));
        assertThat(audit.archivedIn(start, end)).singleElement().satisfies(note -> assertThat(note).contains("a.zip"));
        assertThat(audit.archivedIn(Instant.parse("2024-01-14T00:00:00Z"), end)).isEmpty();
    }

    @Test
    void aCheckpointedArchiveWhoseDaysWereNotYetDeletedVerifies() throws IOException {
        AuditLogger audit = audit();
        chained(audit, 6);
        Path zip = outputs.resolve("a.zip");
        audit.archive(LocalDate.parse("2024-01-13"), zip, "carol", "retention", false);
        restore(zip, name -> true); // as if killed after the checkpoint, before deleting anything

        assertThat(audit.verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void anArchiveCutShortWhileDeletingADayVerifies() throws IOException {
        AuditLogger audit = audit();
        chained(audit, 12);
        Path zip = outputs.resolve("a.zip");
        ArchiveResult result = audit.archive(LocalDate.parse("2024-01-15"), zip, "carol", "retention", false);
        assertThat(result.days()).hasSize(3);
        // Killed while deleting the middle day, newest first: its oldest event is still there.
        String middle = TrailLayout.dayFolder(result.days().get(1)) + "/";
        List<String> middleEvents = entries(zip).stream().filter(name -> name.startsWith(middle)).sorted().toList();
        restore(zip, name -> name.equals(middleEvents.get(0))
                || name.startsWith(TrailLayout.dayFolder(result.days().get(2)) + "/"));

        assertThat(audit.verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void tamperingInsideTheArchiveFailsItsVerification() throws IOException {
        AuditLogger audit = audit();
        chained(audit, 6);
        Path zip = outputs.resolve("a.zip");
        audit.archive(LocalDate.parse("2024-01-13"), zip, "carol", "retention", false);
        Path edited = outputs.resolve("edited.zip");
        String second = entries(zip).stream().filter(name -> name.endsWith("_0000002.json")).findFirst().orElseThrow();
        rewrite(zip, edited, second, content -> content.replace("devops", "someone_else"));

        IntegrityReport report = audit.verifyArchive(edited);

        assertThat(report.intact()).isFalse();
        assertThat(report.problems()).anySatisfy(problem -> {
            assertThat(problem.seq()).isEqualTo(2);
            assertThat(problem.file().toString()).endsWith(second);
        });
    }

    @Test
    void aSignedArchiveNeedsItsKeyAndFailsWithAnother() {
        Optional<AuditKey> key = Optional.of(AuditKey.of("a secret of more than sixteen characters"));
        AuditLogger audit = audit(key);
        chained(audit, 6);
        Path zip = outputs.resolve("a.zip");
        audit.archive(LocalDate.parse("2024-01-13"), zip, "carol", "retention", false);

        assertThat(audit.verifyIntegrity().problems()).isEmpty();
        assertThat(audit.verifyArchive(zip).problems()).isEmpty();
        assertThat(audit.verifyArchive(zip).signaturesChecked()).isTrue();
        assertThat(audit(Optional.empty()).verifyArchive(zip).notes()).anySatisfy(note -> assertThat(note).contains("no key"));
        assertThat(audit(Optional.of(AuditKey.of("another secret, also long enough"))).verifyArchive(zip).problems())
                .extracting(IntegrityProblem::kind).contains(ProblemKind.SIGNATURE);
    }

    @Test
    void archiveRefusesABrokenTrailTodayAndLaterAndOutputsInsideTheWorkspace() {
        AuditLogger audit = audit();
        legacyThenChained(audit);
        long head = audit.head().seq();

        assertThatThrownBy(() -> audit.archive(LocalDate.parse("2024-01-12"), outputs.resolve("a.zip"), "carol", "r", false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not intact");
        assertThatThrownBy(() -> audit.archive(LocalDate.parse("2030-01-01"), outputs.resolve("a.zip"), "carol", "r", false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("after today");
        assertThatThrownBy(() -> audit.archive(LocalDate.parse("2024-01-01"), outputs.resolve("a.zip"), "carol", "r", false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("nothing to archive");
        assertThatThrownBy(() -> audit.archive(LocalDate.parse("2024-01-12"),
                folder.resolve("workspace/audit_logs/a.zip"), "carol", "r", false))
                .isInstanceOf(InvalidInputException.class);
        assertThat(audit.head().seq()).isEqualTo(head);
        assertThat(outputs.resolve("a.zip")).doesNotExist();
    }

    // Helpers: the archive's entries, restoring them into the trail, rewriting one

    static List<String> entries(Path zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            file.stream().forEach(entry -> names.add(entry.getName()));
        }
        return names;
    }

    /** Puts the archived event files that {@code which} accepts back into the trail. */
    void restore(Path zip, java.util.function.Predicate<String> which) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().startsWith("events/") && which.test(entry.getName())) {
                    try (InputStream in = file.getInputStream(entry)) {
                        trail.create(Key.of(entry.getName()), in.readAllBytes());
                    }
                }
            }
        }
    }

    static void rewrite(Path zip, Path out, String name, java.util.function.UnaryOperator<String> edit) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile()); OutputStream stream = Files.newOutputStream(out);
             ZipOutputStream copy = new ZipOutputStream(stream)) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                byte[] content;
                try (InputStream in = file.getInputStream(entry)) {
                    content = in.readAllBytes();
                }
                if (entry.getName().equals(name)) {
                    content = edit.apply(new String(content, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                copy.putNextEntry(new ZipEntry(entry.getName()));
                copy.write(content);
                copy.closeEntry();
            }
        }
    }


}
