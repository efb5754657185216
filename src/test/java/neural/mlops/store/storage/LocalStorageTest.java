package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import neural.mlops.store.Faults;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.NamedPipes;
import neural.mlops.store.StoreIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** What only a folder has: links, leftovers of interrupted writes, files other tools wrote. */
class LocalStorageTest {

    @TempDir
    Path root;

    @TempDir
    Path outside;

    @Test
    void aWriteThroughALinkLeadingOutsideTheWorkspaceIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("models"), outside);
        LocalStorage storage = new LocalStorage(root);

        assertThatThrownBy(() -> storage.create(Key.of("models/metadata/a.json"), "{}".getBytes()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("leads outside the store");
        assertThatThrownBy(() -> storage.upload(Key.of("models/m.bin"), new ByteArrayInputStream(new byte[1]), 1,
                Condition.none(), TransferListener.NONE))
                .isInstanceOf(InvalidInputException.class);
        try (Stream<Path> files = Files.walk(outside)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void leftoversOfInterruptedWritesAreNotListed() throws Exception {
        LocalStorage storage = new LocalStorage(root);
        storage.create(Key.of("deployments/d.json"), "{}".getBytes());
        Files.writeString(root.resolve("deployments/.d.json.1234abcd.tmp"), "half");

        try (Stream<StoredObject> listed = storage.list("deployments")) {
            assertThat(listed.map(StoredObject::key)).containsExactly(Key.of("deployments/d.json"));
        }
    }

    @Test
    void aFileWrittenByAnotherToolIsReadListedAndReplacedWithItsStamp() throws Exception {
        Path file = root.resolve("models/metadata/legacy_v1.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"name\":\"legacy\"}");
        // Another tool may set any time, even one in the future.
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 86_400_000L));
        LocalStorage storage = new LocalStorage(root);

        Version listed;
        try (Stream<StoredObject> objects = storage.list("models")) {
            listed = objects.findFirst().orElseThrow().version();
        }
        Version replaced = storage.replace(Key.of("models/metadata/legacy_v1.json"), "{\"name\":\"legacy\"}".getBytes(), listed);

        assertThat(replaced).isNotEqualTo(listed);
        assertThat(storage.read(Key.of("models/metadata/legacy_v1.json"), 100).orElseThrow().version()).isEqualTo(replaced);
    }

    @Test
    void namesThatCannotBeKeysAreLeftOutOfListings() throws Exception {
        Files.createDirectories(root.resolve("deployments"));
        Files.writeString(root.resolve("deployments/with\\backslash.json"), "{}");
        Files.writeString(root.resolve("deployments/ok.json"), "{}");

        try (Stream<StoredObject> listed = new LocalStorage(root).list("")) {
            assertThat(listed.map(StoredObject::key)).containsExactly(Key.of("deployments/ok.json"));
        }
    }

    @Test
    void aFolderRemovedByAnotherProcessWhileBeingListedIsSkipped() throws Exception {
        LocalStorage storage = new LocalStorage(root);
        storage.create(Key.of("models/models/a/v1/model.bin"), "a".getBytes());
        storage.create(Key.of("models/models/b/v1/model.bin"), "b".getBytes());

        try (Stream<StoredObject> listed = storage.list("models/models")) {
            java.util.Iterator<StoredObject> objects = listed.iterator();
            Key first = objects.next().key();
            String other = first.value().contains("/a/") ? "b" : "a";
            // The other model's version is deleted (registry delete in another process) mid-listing.
            Path gone = root.resolve("models/models/" + other);
            try (Stream<Path> files = Files.walk(gone)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }

            assertThat(objects.hasNext()).isFalse();
        }
    }

    @Test
    void aFolderWhereADocumentIsExpectedIsNotADocument() throws Exception {
        Files.createDirectories(root.resolve("workspace.yaml"));
        LocalStorage storage = new LocalStorage(root);

        assertThat(storage.stat(Key.of("workspace.yaml"))).isEmpty();
        assertThat(storage.read(Key.of("workspace.yaml"), 100)).isEmpty();
    }

    @Test
    void theLockAndMarkerLiveUnderTheStoragesOwnFolder() {
        LocalStorage storage = new LocalStorage(root);
        storage.create(Key.of("workspace.yaml"), "name: w".getBytes());

        assertThat(root.resolve(".neural-mlops")).isDirectory();
        try (Stream<StoredObject> listed = storage.list("")) {
            assertThat(listed.map(StoredObject::key).toList()).isEqualTo(List.of(Key.of("workspace.yaml")));
        }
    }

    @Test
    void aDerivedWriteFlushesNoFolderWhereADocumentWriteFlushesItsOwn() throws Exception {
        LocalStorage storage = new LocalStorage(root);
        storage.create(Key.of("audit_logs/index/2024/01/15.jsonl"), "a\n".getBytes()); // the folders exist
        List<Path> synced = new ArrayList<>();

        try (AutoCloseable recording = Faults.recordSyncedFolders(synced)) {
            storage.writeDerived(Key.of("audit_logs/index/2024/01/15.jsonl"), "a\nb\n".getBytes(), Condition.none());
            storage.writeDerived(Key.of("audit_logs/.append-intent"), "{}".getBytes(), Condition.none());
        }
        assertThat(synced).isEmpty();

        try (AutoCloseable recording = Faults.recordSyncedFolders(synced)) {
            storage.write(Key.of("audit_logs/head.json"), "{}".getBytes(), Condition.none());
        }
        assertThat(synced).containsExactly(root.resolve("audit_logs").toAbsolutePath());
        assertThat(Files.readString(root.resolve("audit_logs/index/2024/01/15.jsonl"))).isEqualTo("a\nb\n");
    }

    @Test
    void aGroupCreatedTogetherFlushesEachOfItsFoldersOnce() throws Exception {
        LocalStorage storage = new LocalStorage(root);
        storage.create(Key.of("audit_logs/2024/01/15/first.json"), "{}".getBytes()); // the folders exist
        storage.create(Key.of("audit_logs/2024/01/16/first.json"), "{}".getBytes());
        List<Path> synced = new ArrayList<>();

        try (AutoCloseable recording = Faults.recordSyncedFolders(synced)) {
            storage.createEach(List.of(Key.of("audit_logs/2024/01/15/a.json"), Key.of("audit_logs/2024/01/15/b.json"),
                    Key.of("audit_logs/2024/01/16/c.json")), List.of("a".getBytes(), "b".getBytes(), "c".getBytes()));
        }

        assertThat(synced).containsExactly(root.resolve("audit_logs/2024/01/15").toAbsolutePath(),
                root.resolve("audit_logs/2024/01/16").toAbsolutePath());
    }

    @Test
    void aGroupWhoseSecondWriteFailsLeavesNoneOfItsFilesAndNoTemporaryFile() throws Exception {
        LocalStorage storage = new LocalStorage(root);
        storage.create(Key.of("audit_logs/head.json"), "{}".getBytes());
        List<Key> keys = List.of(Key.of("audit_logs/2024/01/15/a.json"), Key.of("audit_logs/2024/01/15/b.json"),
                Key.of("audit_logs/2024/01/15/c.json"));

        try (Faults.Injected full = Faults.diskFullAfter(1, target -> true)) {
            assertThatThrownBy(() -> storage.createEach(keys, List.of("a".getBytes(), "b".getBytes(), "c".getBytes())))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessageContaining("b.json");
            assertThat(full.failures()).isEqualTo(1);
        }

        try (Stream<Path> files = Files.walk(root.resolve("audit_logs"))) {
            assertThat(files.filter(Files::isRegularFile).map(root::relativize).map(Path::toString))
                    .containsExactly("audit_logs/head.json");
        }
    }

    @Test
    void theChangeMarkerIsRewrittenInPlaceAndChangesOnEveryWrite() throws Exception {
        LocalStorage storage = new LocalStorage(root);
        storage.create(Key.of("deployments/d1.json"), "{}".getBytes());
        Path marker = root.resolve(".neural-mlops/change-marker");
        Object file = Files.readAttributes(marker, BasicFileAttributes.class).fileKey();
        ChangeMarker before = storage.changeMarker();

        storage.create(Key.of("deployments/d2.json"), "{}".getBytes());

        assertThat(storage.changeMarker()).isNotEqualTo(before);
        assertThat(Files.readAttributes(marker, BasicFileAttributes.class).fileKey())
                .as("the same file, overwritten: no rename a write").isEqualTo(file);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aLinkOrAPipeWhereTheChangeMarkerBelongsIsReplacedNeverWrittenThrough() throws Exception {
        LocalStorage storage = new LocalStorage(root);
        storage.create(Key.of("deployments/d1.json"), "{}".getBytes());
        Path marker = root.resolve(".neural-mlops/change-marker");
        Path target = Files.writeString(outside.resolve("precious.txt"), "keep me");
        Files.delete(marker);
        Files.createSymbolicLink(marker, target);

        storage.create(Key.of("deployments/d2.json"), "{}".getBytes());

        assertThat(Files.readString(target)).isEqualTo("keep me");
        assertThat(Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)).isTrue();
        ChangeMarker afterLink = storage.changeMarker();

        Files.delete(marker);
        NamedPipes.plant(marker);
        storage.create(Key.of("deployments/d3.json"), "{}".getBytes()); // would wait for a reader if it opened the pipe

        assertThat(Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(storage.changeMarker()).isNotEqualTo(afterLink);
    }

    @Test
    void aReplaceOfADocumentStampedAheadOfThisClockGetsALaterStampAndANewVersion() throws Exception {
        LocalStorage storage = new LocalStorage(root);
        Key key = Key.of("audit_logs/head.json");
        storage.create(key, "{\"seq\":1}".getBytes());
        FileTime ahead = FileTime.from(java.time.Instant.now().plusSeconds(3600));
        Files.setLastModifiedTime(root.resolve("audit_logs/head.json"), ahead); // written by a machine an hour ahead
        Version read = storage.stat(key).orElseThrow().version();

        Version replaced = storage.replace(key, "{\"seq\":2}".getBytes(), read);

        assertThat(replaced).isNotEqualTo(read);
        assertThat(Files.getLastModifiedTime(root.resolve("audit_logs/head.json"))).isGreaterThan(ahead);
        assertThat(storage.stat(key)).map(StoredObject::version).contains(replaced);
        assertThatThrownBy(() -> storage.replace(key, "{\"seq\":3}".getBytes(), read))
                .isInstanceOf(ConditionFailedException.class);
    }
}
