package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import neural.mlops.JvmProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesANewFileAndItsMissingFolders() throws IOException {
        Path target = dir.resolve("a/b/doc.json");
        AtomicFiles.write(target, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("{}");
        assertThat(leftovers(target.getParent())).isEmpty();
    }

    @Test
    void replacesAnExistingFileWhole() throws IOException {
        Path target = dir.resolve("doc.json");
        Files.writeString(target, "old");
        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("new");
    }

    @Test
    void aWriterThatFailsLeavesTheOldDocumentAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("doc.json");
        Files.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(StoreIOException.class)
                .hasMessageContaining("Could not write")
                .hasMessageContaining("disk full");
        assertThat(target).hasContent("old");
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void aBatchWhoseLastDocumentCannotBeWrittenChangesNoneOfThemAndLeavesNoTemporaryFile() throws IOException {
        Path first = Files.writeString(dir.resolve("first.json"), "old first");
        Path second = Files.writeString(dir.resolve("second.json"), "old second");

        try (Faults.Injected full = Faults.diskFullFor(target -> target.equals(second))) {
            assertThatThrownBy(() -> {
                try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
                    batch.add(first, "new first".getBytes(StandardCharsets.UTF_8));
                    batch.add(second, "new second".getBytes(StandardCharsets.UTF_8));
                    batch.commit();
                }
            }).isInstanceOf(StoreIOException.class)
                    .hasMessage("Could not write " + second + ": " + Faults.NO_SPACE);
            assertThat(full.failures()).isEqualTo(1);
        }

        assertThat(first).hasContent("old first");
        assertThat(second).hasContent("old second");
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void aBatchRenamesEveryDocumentInTheOrderTheyWereAdded() throws IOException {
        Path first = dir.resolve("first.json");
        Path second = dir.resolve("second.json");
        java.util.List<Path> renamed = new java.util.ArrayList<>();
        Runnable seam = AtomicFiles.beforeRename;
        try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
            batch.add(first, "1".getBytes(StandardCharsets.UTF_8)).add(second, "2".getBytes(StandardCharsets.UTF_8));
            AtomicFiles.beforeRename = () -> renamed.add(Files.exists(first) ? second : first);
            batch.commit();
        } finally {
            AtomicFiles.beforeRename = seam;
        }
        assertThat(renamed).containsExactly(first, second);
        assertThat(first).hasContent("1");
        assertThat(second).hasContent("2");
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void aBatchRenamesGroupByGroupAndFlushesTheFoldersItCreatesIntoTheirParents() throws IOException {
        Path day = dir.resolve("events/2024/01/15");
        Path first = day.resolve("a.json");
        Path second = day.resolve("b.json");
        Path head = dir.resolve("head.json");
        java.util.List<String> renamed = new java.util.ArrayList<>();
        java.util.List<Path> synced = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable seam = AtomicFiles.beforeRename;
        AtomicFiles.folderSynced = synced::add;
        AtomicFiles.beforeRename = () -> renamed.add((Files.exists(first) ? "a" : "") + (Files.exists(second) ? "b" : "")
                + "|" + synced.contains(day.toAbsolutePath()));
        try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
            batch.addGroup(java.util.List.of(first, second), java.util.List.of("1".getBytes(StandardCharsets.UTF_8),
                    "2".getBytes(StandardCharsets.UTF_8)));
            batch.add(head, "h".getBytes(StandardCharsets.UTF_8));
            batch.commit();
        } finally {
            AtomicFiles.beforeRename = seam;
            AtomicFiles.folderSynced = folder -> { };
        }
        // Before the head's rename, both events are in place and their folder has been flushed.
        assertThat(renamed).containsExactly("|false", "a|false", "ab|true");
        Path absolute = day.toAbsolutePath();
        assertThat(synced).contains(dir.toAbsolutePath(), absolute.getParent().getParent().getParent(),
                absolute.getParent().getParent(), absolute.getParent(), absolute);
        assertThat(head).hasContent("h");
        assertThat(leftovers(day)).isEmpty();
    }

    @Test
    void theFoldersAWriteCreatesAreFlushedIntoTheirParentsSoTheySurviveAPowerCut() {
        Path target = dir.resolve("events/2024/01/15/event.json");
        java.util.List<Path> synced = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicFiles.folderSynced = synced::add;
        try {
            AtomicFiles.write(target, "{}".getBytes(StandardCharsets.UTF_8));
        } finally {
            AtomicFiles.folderSynced = folder -> { };
        }
        Path absolute = target.toAbsolutePath();
        assertThat(synced).contains(dir.toAbsolutePath(), absolute.getParent().getParent().getParent().getParent(),
                absolute.getParent().getParent().getParent(), absolute.getParent().getParent(), absolute.getParent());
    }

    @Test
    void aFileWhereAFolderMustBeIsNamedInTheMessage() throws IOException {
        Path inTheWay = Files.writeString(dir.resolve("metadata"), "not a folder");
        assertThatThrownBy(() -> AtomicFiles.write(inTheWay.resolve("doc.json"), new byte[0]))
                .isInstanceOf(StoreIOException.class)
                .hasMessage("Could not write " + inTheWay.resolve("doc.json") + ": " + inTheWay
                        + " is a file where a folder must be; move it out of the way");
        assertThat(inTheWay).hasContent("not a folder");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void anUnwritableFolderGivesAClearErrorAndChangesNothing() throws IOException {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Path target = locked.resolve("doc.json");
        Files.writeString(target, "old");
        locked.toFile().setWritable(false);
        try {
            if (Files.isWritable(locked)) {
                return; // running as a user who ignores permissions; nothing to prove here
            }
            assertThatThrownBy(() -> AtomicFiles.write(target, new byte[] {1}))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessageContaining(target.toString());
            assertThat(target).hasContent("old");
        } finally {
            locked.toFile().setWritable(true);
        }
    }

    @Test
    void temporaryFilesAreRecognisedSoReadersSkipThem() {
        Path temp = AtomicFiles.temporaryFor(dir.resolve("doc.json"));
        assertThat(temp.getParent()).isEqualTo(dir.toAbsolutePath());
        assertThat(AtomicFiles.isTemporary(temp)).isTrue();
        assertThat(AtomicFiles.isTemporary(dir.resolve("doc.json"))).isFalse();
        assertThat(AtomicFiles.isTemporary(dir.resolve(".hidden"))).isFalse();
    }

    @Test
    void staleTemporaryFilesAreRemovedAndFreshOnesKept() throws IOException {
        Path stale = Files.writeString(AtomicFiles.temporaryFor(dir.resolve("a.json")), "x");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = Files.writeString(AtomicFiles.temporaryFor(dir.resolve("b.json")), "x");
        Path document = Files.writeString(dir.resolve("c.json"), "x");
        Files.setLastModifiedTime(document, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        assertThat(AtomicFiles.removeStaleTemporaries(dir, Duration.ofMinutes(10))).isEqualTo(1);
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(document).exists();
    }

    @Test
    void theFirstWriteToAFolderRemovesTheStaleTemporariesOfKilledWritersOnly() throws IOException {
        Path stale = Files.write(AtomicFiles.temporaryFor(dir.resolve("model.pt")), new byte[64 * 1024]);
        Path young = Files.writeString(AtomicFiles.temporaryFor(dir.resolve("b.json")), "a live writer's");
        Path foreign = Files.writeString(dir.resolve(".notes.tmp"), "another program's");
        for (Path old : List.of(stale, foreign)) {
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(AtomicFiles.STALE_AFTER).minusSeconds(60)));
        }

        AtomicFiles.write(dir.resolve("doc.json"), "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(stale).doesNotExist();
        assertThat(young).exists();
        assertThat(foreign).as("not a name AtomicFiles makes").exists();
        assertThat(dir.resolve("doc.json")).hasContent("{}");
    }

    @Test
    void aWriteInABatchOrUnflushedSweepsItsFolderToo() throws IOException {
        Path batchFolder = Files.createDirectories(dir.resolve("batch"));
        Path derivedFolder = Files.createDirectories(dir.resolve("derived"));
        Path staleInBatch = Files.writeString(AtomicFiles.temporaryFor(batchFolder.resolve("a.json")), "x");
        Path staleDerived = Files.writeString(AtomicFiles.temporaryFor(derivedFolder.resolve("i.jsonl")), "x");
        for (Path old : List.of(staleInBatch, staleDerived)) {
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        }

        try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
            batch.add(batchFolder.resolve("a.json"), "{}".getBytes(StandardCharsets.UTF_8)).commit();
        }
        AtomicFiles.writeUnflushed(derivedFolder.resolve("i.jsonl"), new byte[0]);

        assertThat(staleInBatch).doesNotExist();
        assertThat(staleDerived).doesNotExist();
    }

    @Test
    void aProcessKilledBetweenTemporaryFileAndRenameLeavesTheOldDocument() throws Exception {
        Path target = dir.resolve("doc.json");
        Files.writeString(target, "{\"v\": 1}");
        Process process = JvmProcess.start(CrashingWriter.class, target.toString());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(CrashingWriter.HALT_STATUS);

        assertThat(target).hasContent("{\"v\": 1}");
        try (Stream<Path> files = Files.list(dir)) {
            Path[] temporaries = files.filter(AtomicFiles::isTemporary).toArray(Path[]::new);
            assertThat(temporaries).hasSize(1);
            assertThat(temporaries[0]).hasContent("{\"v\": 2}");
        }
    }

    private static Stream<Path> leftoversStream(Path folder) throws IOException {
        return Files.list(folder).filter(AtomicFiles::isTemporary);
    }

    private static java.util.List<Path> leftovers(Path folder) throws IOException {
        try (Stream<Path> files = leftoversStream(folder)) {
            return files.toList();
        }
    }

    /** Child process: writes a new version and dies (as with SIGKILL) after the flush, before the rename. */
    public static final class CrashingWriter {
        static final int HALT_STATUS = 137;

        public static void main(String[] args) {
            AtomicFiles.beforeRename = () -> Runtime.getRuntime().halt(HALT_STATUS);
            AtomicFiles.write(Path.of(args[0]), "{\"v\": 2}".getBytes(StandardCharsets.UTF_8));
        }
    }
}
