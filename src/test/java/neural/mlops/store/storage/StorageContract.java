package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import neural.mlops.JvmProcess;
import neural.mlops.store.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guarantees of {@link Storage}, written once (STYLE 14) and run against every backend by a
 * subclass: a local folder and an S3 server. A backend that cannot keep one of them must not be
 * used for a workspace.
 */
abstract class StorageContract {

    /** Larger than two S3 parts, so that an upload is a real multipart upload with three parts. */
    static final int LARGE_BYTES = 2 * S3Storage.MIN_PART_BYTES + 123_457;

    protected Storage storage;

    /** A new, empty storage; each call in one test gives another view of the same location (another "process"). */
    protected abstract Storage openStorage();

    /** Arguments for {@link StorageRaceChild} to open the same location in another JVM. */
    protected abstract List<String> childArguments();

    /** Asserts that nothing of an unfinished upload is left (temporary files, multipart uploads). */
    protected abstract void assertNoUnfinishedUploads();

    /**
     * Leaves an upload to {@code key} unfinished without a lease, as a writer of an earlier
     * release, which kept none, does when it is killed in the middle of it.
     */
    protected abstract void startUnfinishedUpload(Key key);

    /** Leaves an upload to {@code key} unfinished with the lease of a writer that has since died. */
    protected abstract void startUploadOfADeadWriter(Key key);

    /** Starts an upload to {@code key} whose writer is alive, until the returned handle is closed. */
    protected abstract AutoCloseable startUploadOfALiveWriter(Key key);

    /**
     * False only for a test server known to lose the object at a key when an upload to that key
     * is aborted (AWS S3 keeps it); the one assertion that depends on it is then left out.
     */
    protected boolean abortingAnUploadKeepsTheObjectAtItsKey() {
        return true;
    }

    @BeforeEach
    void open() {
        storage = openStorage();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    @Test
    void aCreatedDocumentReadsBackWithTheVersionTheWriteReturned() {
        Version version = storage.create(key("models/metadata/a_v1.json"), bytes("{\"a\":1}"));

        Optional<Document> read = storage.read(key("models/metadata/a_v1.json"), 1024);

        assertThat(read).isPresent();
        assertThat(read.get().content()).isEqualTo(bytes("{\"a\":1}"));
        assertThat(read.get().version()).isEqualTo(version);
        assertThat(storage.stat(key("models/metadata/a_v1.json")))
                .contains(new StoredObject(key("models/metadata/a_v1.json"), 7, version));
    }

    @Test
    void aMissingKeyReadsAsEmpty() {
        assertThat(storage.read(key("deployments/none.json"), 1024)).isEmpty();
        assertThat(storage.stat(key("deployments/none.json"))).isEmpty();
        assertThat(storage.openStream(key("deployments/none.json"))).isEmpty();
    }

    @Test
    void anObjectIsStreamedFromAnyOffsetOn() throws IOException {
        storage.create(key("index/2024/03/01.jsonl"), bytes("0123456789"));

        assertThat(readAll(storage.openStream(key("index/2024/03/01.jsonl"), 0))).isEqualTo("0123456789");
        assertThat(readAll(storage.openStream(key("index/2024/03/01.jsonl"), 4))).isEqualTo("456789");
        assertThat(readAll(storage.openStream(key("index/2024/03/01.jsonl"), 9))).isEqualTo("9");
        assertThat(readAll(storage.openStream(key("index/2024/03/01.jsonl"), 10))).isEmpty();
        assertThat(readAll(storage.openStream(key("index/2024/03/01.jsonl"), 25))).isEmpty();
        assertThat(storage.openStream(key("index/2024/03/02.jsonl"), 4)).isEmpty();
        assertThatThrownBy(() -> storage.openStream(key("index/2024/03/01.jsonl"), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A read starts at byte 0 or later, not -1");
    }

    private static String readAll(Optional<InputStream> stream) throws IOException {
        try (InputStream in = stream.orElseThrow()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aDocumentLargerThanTheReadLimitIsRefused() {
        storage.create(key("big.json"), new byte[2048]);

        assertThatThrownBy(() -> storage.read(key("big.json"), 1024))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("big.json").hasMessageContaining("1024");
    }

    @Test
    void aCreateOverAnExistingKeyFailsAndKeepsTheFirstContent() {
        storage.create(key("audit_logs/claims/1"), bytes("first"));

        assertThatThrownBy(() -> storage.create(key("audit_logs/claims/1"), bytes("second")))
                .isInstanceOf(ConditionFailedException.class)
                .hasMessageContaining("audit_logs/claims/1");
        assertThat(content("audit_logs/claims/1")).isEqualTo("first");
    }

    @Test
    void ofTwoThreadsCreatingTheSameKeyExactlyOneWins() throws Exception {
        int keys = 20;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < keys; i++) {
                Key claimed = key("audit_logs/claims/" + i);
                boolean[] won = atOnce(pool, () -> storage.create(claimed, bytes("A")),
                        () -> storage.create(claimed, bytes("B")));
                boolean a = won[0];
                assertThat(a ^ won[1]).as("exactly one of two creates of %s wins", claimed).isTrue();
                assertThat(content(claimed.value())).isEqualTo(a ? "A" : "B");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aGroupCreatedTogetherReadsBackWithTheVersionsTheCallReturned() {
        List<Key> keys = List.of(key("audit_logs/2024/01/15/a.json"), key("audit_logs/2024/01/15/b.json"),
                key("audit_logs/2024/01/16/c.json"));

        List<Version> versions = storage.createEach(keys, List.of(bytes("a"), bytes("bb"), bytes("ccc")));

        assertThat(versions).hasSize(3);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(storage.stat(keys.get(i))).map(StoredObject::version).contains(versions.get(i));
        }
        assertThat(content("audit_logs/2024/01/15/b.json")).isEqualTo("bb");
        assertThat(content("audit_logs/2024/01/16/c.json")).isEqualTo("ccc");
        assertThatThrownBy(() -> storage.replace(keys.get(0), bytes("x"), versions.get(1)))
                .isInstanceOf(ConditionFailedException.class);
    }

    @Test
    void aGroupWithAKeyInTheWayCreatesNoneOfItsKeysAndNamesTheOneInTheWay() {
        storage.create(key("audit_logs/claims/2"), bytes("theirs"));
        Storage audit = storage.under("audit_logs");
        List<Key> keys = List.of(key("claims/1"), key("claims/2"), key("claims/3"));
        List<byte[]> contents = List.of(bytes("one"), bytes("two"), bytes("three"));

        assertThatThrownBy(() -> audit.createEach(keys, contents))
                .isInstanceOfSatisfying(ConditionFailedException.class,
                        taken -> assertThat(taken.key()).isEqualTo(key("claims/2")))
                .hasMessageContaining("claims/2");

        assertThat(listed("audit_logs")).containsOnlyKeys(key("audit_logs/claims/2"));
        assertThat(content("audit_logs/claims/2")).isEqualTo("theirs");
        assertThatThrownBy(() -> storage.createEach(keys, List.of(bytes("one"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> audit.createEach(List.of(key("claims/4"), key("claims/4")),
                List.of(bytes("first"), bytes("second"))))
                .isInstanceOf(ConditionFailedException.class);
        assertThat(listed("audit_logs")).containsOnlyKeys(key("audit_logs/claims/2"));
    }

    @Test
    void ofTwoThreadsCreatingOverlappingGroupsOneWinsWholeAndNothingOfTheOtherStays() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String folder = "audit_logs/round" + round + "/";
                List<Key> first = new ArrayList<>();
                List<Key> second = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    first.add(key(folder + i));
                    second.add(key(folder + (i + 3)));
                }
                boolean[] created = atOnce(pool,
                        () -> storage.createEach(first, first.stream().map(unused -> bytes("A")).toList()),
                        () -> storage.createEach(second, second.stream().map(unused -> bytes("B")).toList()));
                boolean a = created[0];
                assertThat(a ^ created[1]).as("exactly one of two overlapping groups is created, round %d", round).isTrue();
                List<Key> won = a ? first : second;
                assertThat(listed(folder)).containsOnlyKeys(won);
                for (Key key : won) {
                    assertThat(content(key.value())).isEqualTo(a ? "A" : "B");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReplaceWithTheCurrentVersionSucceedsAndGivesANewVersion() {
        Version first = storage.create(key("models/metadata/m_1.json"), bytes("one"));

        Version second = storage.replace(key("models/metadata/m_1.json"), bytes("two"), first);

        assertThat(second).isNotEqualTo(first);
        assertThat(storage.read(key("models/metadata/m_1.json"), 1024).orElseThrow().version()).isEqualTo(second);
        assertThat(content("models/metadata/m_1.json")).isEqualTo("two");
    }

    @Test
    void aReplaceWithAStaleVersionFailsAndKeepsTheNewerContent() {
        Version first = storage.create(key("models/metadata/m_1.json"), bytes("one"));
        storage.replace(key("models/metadata/m_1.json"), bytes("two"), first);

        assertThatThrownBy(() -> storage.replace(key("models/metadata/m_1.json"), bytes("lost update"), first))
                .isInstanceOf(ConditionFailedException.class)
                .hasMessageContaining("changed by another writer");
        assertThat(content("models/metadata/m_1.json")).isEqualTo("two");
    }

    @Test
    void everyWriteOfTheSameSizeStillGivesANewVersion() {
        Key key = key("audit_logs/head.json");
        Version version = storage.create(key, bytes("0000"));
        Set<Version> seen = new HashSet<>(List.of(version));
        for (int i = 1; i <= 20; i++) {
            version = storage.replace(key, bytes(String.format("%04d", i)), version);
            assertThat(seen.add(version)).as("write %d gave a version seen before", i).isTrue();
        }
    }

    @Test
    void aKeyCreatedAgainAfterItsDeletionWithOtherBytesOfTheSameSizeHasANewVersion() {
        // A bucket's version is the content's ETag; a folder's is the size and the time stamped at the create.
        Key key = key("audit_logs/events/2024/01/15/event_20240115_120000_0000001.json");
        Version first = storage.create(key, bytes("{\"seq\":1}"));
        storage.delete(key, Condition.matches(first));

        Version again = storage.create(key, bytes("{\"seq\":2}"));

        assertThat(again).isNotEqualTo(first);
        assertThat(storage.stat(key)).map(StoredObject::version).contains(again);
        assertThatThrownBy(() -> storage.replace(key, bytes("{\"seq\":3}"), first))
                .isInstanceOf(ConditionFailedException.class);
    }

    @Test
    void aDerivedWriteReadsBackWithTheVersionItReturnedAndHonoursItsCondition() {
        Key key = key("audit_logs/index/2024/01/15.jsonl");
        Version first = storage.writeDerived(key, bytes("a\n"), Condition.absent());

        assertThat(storage.read(key, 1024)).map(Document::version).contains(first);
        assertThatThrownBy(() -> storage.writeDerived(key, bytes("b\n"), Condition.absent()))
                .isInstanceOf(ConditionFailedException.class);
        Version second = storage.writeDerived(key, bytes("a\nb\n"), Condition.matches(first));
        assertThatThrownBy(() -> storage.writeDerived(key, bytes("c\n"), Condition.matches(first)))
                .isInstanceOf(ConditionFailedException.class);
        assertThat(storage.read(key, 1024)).hasValueSatisfying(read -> {
            assertThat(read.content()).isEqualTo(bytes("a\nb\n"));
            assertThat(read.version()).isEqualTo(second);
        });
    }

    @Test
    void aReadDuringReplacesGivesEachContentWithTheVersionThatWroteIt() throws Exception {
        Key key = key("models/metadata/raced_v1.json");
        Map<Version, String> written = new ConcurrentHashMap<>();
        Version first = storage.create(key, bytes("0"));
        written.put(first, "0");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = pool.submit(() -> {
                Version version = first;
                for (int i = 1; i <= 100; i++) {
                    String content = "x".repeat(i % 7) + i; // sizes that repeat, as a rewritten document's do
                    version = storage.replace(key, bytes(content), version);
                    written.put(version, content);
                }
                return null;
            });
            List<Document> reads = new ArrayList<>();
            while (!writer.isDone()) {
                reads.add(storage.read(key, 1024).orElseThrow());
            }
            writer.get(60, TimeUnit.SECONDS);
            assertThat(reads).isNotEmpty();
            for (Document read : reads) {
                assertThat(new String(read.content(), StandardCharsets.UTF_8))
                        .as("the content read with version %s", read.version())
                        .isEqualTo(written.get(read.version()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReplaceOfAKeyRemovedSinceItWasReadFails() {
        Version first = storage.create(key("deployments/d.json"), bytes("d"));
        storage.delete(key("deployments/d.json"), Condition.matches(first));

        assertThatThrownBy(() -> storage.replace(key("deployments/d.json"), bytes("e"), first))
                .isInstanceOf(ConditionFailedException.class);
        assertThatThrownBy(() -> storage.delete(key("deployments/d.json"), Condition.matches(first)))
                .isInstanceOf(ConditionFailedException.class);
        assertThat(storage.stat(key("deployments/d.json"))).isEmpty();
    }

    @Test
    void aDeleteWithTheCurrentVersionRemovesTheKey() {
        Version version = storage.create(key("requests/r.json"), bytes("r"));

        assertThat(storage.delete(key("requests/r.json"), Condition.matches(version))).isTrue();
        assertThat(storage.read(key("requests/r.json"), 1024)).isEmpty();
    }

    @Test
    void aDeleteWithAStaleVersionFailsAndKeepsTheKey() {
        Version first = storage.create(key("requests/r.json"), bytes("r1"));
        storage.replace(key("requests/r.json"), bytes("r2"), first);

        assertThatThrownBy(() -> storage.delete(key("requests/r.json"), Condition.matches(first)))
                .isInstanceOf(ConditionFailedException.class);
        assertThat(content("requests/r.json")).isEqualTo("r2");
    }

    @Test
    void anUnconditionalDeleteSaysWhetherThereWasAnythingToDelete() {
        storage.create(key("reports/x.json"), bytes("x"));

        assertThat(storage.delete(key("reports/x.json"), Condition.none())).isTrue();
        assertThat(storage.delete(key("reports/x.json"), Condition.none())).isFalse();
    }

    @Test
    void aListingHasEveryKeyUnderTheFolderAtAnyDepthWithSizeAndVersionAndNothingElse() {
        Version a = storage.create(key("audit_logs/events/2024/01/15/event_1.json"), bytes("a"));
        Version b = storage.create(key("audit_logs/events/2024/02/01/event_2.json"), bytes("bb"));
        storage.create(key("audit_logs/head.json"), bytes("h"));
        storage.create(key("audit_logs/events_old/x.json"), bytes("sibling, not inside"));

        Map<Key, StoredObject> listed = listed("audit_logs/events");

        assertThat(listed).containsOnlyKeys(key("audit_logs/events/2024/01/15/event_1.json"),
                key("audit_logs/events/2024/02/01/event_2.json"));
        assertThat(listed.get(key("audit_logs/events/2024/01/15/event_1.json")))
                .isEqualTo(new StoredObject(key("audit_logs/events/2024/01/15/event_1.json"), 1, a));
        assertThat(listed.get(key("audit_logs/events/2024/02/01/event_2.json")).version()).isEqualTo(b);
        assertThat(listed("audit_logs/")).hasSize(4);
        assertThat(listed("nothing/here")).isEmpty();
    }

    @Test
    void aFolderListingNamesTheFoldersDirectlyUnderAFolderWithoutTheirObjects() {
        storage.create(key("audit_logs/events/2024/01/15/event_1.json"), bytes("a"));
        storage.create(key("audit_logs/events/2024/02/01/event_2.json"), bytes("b"));
        storage.create(key("audit_logs/events/2025/01/01/event_3.json"), bytes("c"));
        storage.create(key("audit_logs/events/readme.json"), bytes("a file, not a folder"));
        storage.create(key("audit_logs/events_old/2023/x.json"), bytes("sibling, not inside"));

        assertThat(folders("audit_logs/events")).containsExactlyInAnyOrder("2024", "2025");
        assertThat(folders("audit_logs/events/2024/")).containsExactlyInAnyOrder("01", "02");
        assertThat(folders("audit_logs/events/2024/01/15")).isEmpty();
        assertThat(folders("nothing/here")).isEmpty();
        assertThatThrownBy(() -> storage.folders("../elsewhere")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aFolderWhoseLastObjectWasDeletedIsNoLongerNamedAndTheStoragesOwnFolderNeverIs() {
        storage.create(key("workspace.yaml"), bytes("name: w"));
        storage.create(key("requests/r.json"), bytes("r"));
        storage.requireConditionalWrites();

        assertThat(folders("")).containsExactly("requests");

        storage.delete(key("requests/r.json"), Condition.none());

        assertThat(folders("")).isEmpty();
    }

    @Test
    void aNamedListingHasTheObjectsDirectlyInTheFolderWhoseNamesStartSoWithSizeAndVersion() {
        Version one = storage.create(key("models/metadata/fraud_v1.json"), bytes("a"));
        storage.create(key("models/metadata/fraud_v2.json"), bytes("bb"));
        storage.create(key("models/metadata/fraud_detector_v1.json"), bytes("c"));
        storage.create(key("models/metadata/churn_v1.json"), bytes("d"));
        storage.create(key("models/metadata/fraud_sub/deeper.json"), bytes("not directly in the folder"));

        Map<Key, StoredObject> named;
        try (Stream<StoredObject> objects = storage.listNamed("models/metadata", "fraud_")) {
            named = objects.collect(Collectors.toMap(StoredObject::key, Function.identity()));
        }

        assertThat(named).containsOnlyKeys(key("models/metadata/fraud_v1.json"), key("models/metadata/fraud_v2.json"),
                key("models/metadata/fraud_detector_v1.json"));
        assertThat(named.get(key("models/metadata/fraud_v1.json")))
                .isEqualTo(new StoredObject(key("models/metadata/fraud_v1.json"), 1, one));
        try (Stream<StoredObject> none = storage.listNamed("nothing/here", "fraud_")) {
            assertThat(none).isEmpty();
        }
        assertThatThrownBy(() -> storage.listNamed("../elsewhere", "x")).isInstanceOf(InvalidInputException.class);
    }

    private List<String> folders(String folder) {
        try (Stream<String> names = storage.folders(folder)) {
            return names.toList();
        }
    }

    @Test
    void theWholeListingLeavesOutTheStoragesOwnObjects() {
        storage.create(key("workspace.yaml"), bytes("name: w"));
        storage.requireConditionalWrites();

        assertThat(listed("")).containsOnlyKeys(key("workspace.yaml"));
    }

    @Test
    void aListedVersionIsGoodForAConditionalReplace() {
        storage.create(key("deployments/d.json"), bytes("d1"));
        Version listedVersion = listed("deployments").get(key("deployments/d.json")).version();

        storage.replace(key("deployments/d.json"), bytes("d2"), listedVersion);

        assertThat(content("deployments/d.json")).isEqualTo("d2");
    }

    @Test
    void aLargeUploadReportsItsProgressAndAppearsWhole() throws Exception {
        byte[] model = randomBytes(LARGE_BYTES);
        List<Long> progress = new ArrayList<>();

        Version version = storage.upload(key("models/models/m/v1/model.pt"), new ByteArrayInputStream(model),
                model.length, Condition.absent(), (done, total) -> {
                    assertThat(total).isEqualTo(model.length);
                    progress.add(done);
                    return true;
                });

        assertThat(progress).hasSizeGreaterThanOrEqualTo(3).isSorted().last().isEqualTo((long) model.length);
        assertThat(storage.stat(key("models/models/m/v1/model.pt")))
                .contains(new StoredObject(key("models/models/m/v1/model.pt"), model.length, version));
        try (InputStream in = storage.openStream(key("models/models/m/v1/model.pt")).orElseThrow()) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(model));
        }
        assertNoUnfinishedUploads();
    }

    @Test
    void aSmallUploadIsStoredToo() {
        storage.upload(key("models/models/m/v1/tiny.bin"), new ByteArrayInputStream(bytes("tiny")), 4,
                Condition.absent(), TransferListener.NONE);

        assertThat(content("models/models/m/v1/tiny.bin")).isEqualTo("tiny");
    }

    @Test
    void aCancelledUploadLeavesNothingBehind() {
        byte[] model = randomBytes(LARGE_BYTES);

        assertThatThrownBy(() -> storage.upload(key("models/models/m/v1/model.pt"), new ByteArrayInputStream(model),
                model.length, Condition.absent(), (done, total) -> done < S3Storage.MIN_PART_BYTES))
                .isInstanceOf(TransferCancelledException.class)
                .hasMessageContaining("cancelled");

        assertThat(storage.stat(key("models/models/m/v1/model.pt"))).isEmpty();
        assertThat(listed("models")).isEmpty();
        assertNoUnfinishedUploads();
    }

    @Test
    void anUploadWhoseSourceFailsLeavesNothingBehind() {
        byte[] model = randomBytes(LARGE_BYTES);
        InputStream failing = new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position > S3Storage.MIN_PART_BYTES + 1) {
                    throw new IOException("the disk went away"); // after the first part has gone up
                }
                int count = Math.min(length, 64 * 1024);
                System.arraycopy(model, position, buffer, offset, count);
                position += count;
                return count;
            }
        };

        assertThatThrownBy(() -> storage.upload(key("models/models/m/v1/model.pt"), failing, model.length,
                Condition.absent(), TransferListener.NONE)).hasMessageContaining("the disk went away");

        assertThat(storage.stat(key("models/models/m/v1/model.pt"))).isEmpty();
        assertNoUnfinishedUploads();
    }

    @Test
    void anUploadShorterThanAnnouncedIsRefused() {
        assertThatThrownBy(() -> storage.upload(key("models/models/m/v1/model.pt"),
                new ByteArrayInputStream(bytes("short")), 10, Condition.absent(), TransferListener.NONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("5 bytes but 10");

        assertThat(storage.stat(key("models/models/m/v1/model.pt"))).isEmpty();
    }

    @Test
    void aCreateOnlyUploadOverAnExistingKeyFailsAndLeavesNoParts() {
        storage.create(key("models/models/m/v1/model.pt"), "registered".getBytes(StandardCharsets.UTF_8));
        byte[] model = randomBytes(LARGE_BYTES);

        assertThatThrownBy(() -> storage.upload(key("models/models/m/v1/model.pt"), new ByteArrayInputStream(model),
                model.length, Condition.absent(), TransferListener.NONE))
                .isInstanceOf(ConditionFailedException.class);

        assertNoUnfinishedUploads();
        if (abortingAnUploadKeepsTheObjectAtItsKey()) {
            assertThat(content("models/models/m/v1/model.pt")).isEqualTo("registered");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a//b", "a/", "../x", "a/../b", "a/./b", ".", "a\\b", "a\tb",
        ".neural-mlops/change-marker", ".neural-mlops"})
    void badKeysAreRefusedWithTheirReason(String bad) {
        assertThatThrownBy(() -> Key.of(bad)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("storage key");
    }

    @Test
    void aFolderThatLeavesTheWorkspaceIsRefused() {
        assertThatThrownBy(() -> storage.list("../elsewhere")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theChangeMarkerChangesOnEveryWriteAndDeleteAndNotOnReads() {
        Storage other = openStorage(); // another process's view of the same workspace
        try {
            List<ChangeMarker> markers = new ArrayList<>();
            markers.add(other.changeMarker());
            Version v = storage.create(key("models/metadata/a.json"), bytes("1"));
            markers.add(other.changeMarker());
            v = storage.replace(key("models/metadata/a.json"), bytes("2"), v);
            markers.add(other.changeMarker());
            storage.upload(key("models/models/a/1/m.bin"), new ByteArrayInputStream(bytes("m")), 1,
                    Condition.absent(), TransferListener.NONE);
            markers.add(other.changeMarker());
            storage.delete(key("models/metadata/a.json"), Condition.matches(v));
            markers.add(other.changeMarker());

            assertThat(new HashSet<>(markers)).hasSize(markers.size());

            storage.read(key("models/models/a/1/m.bin"), 10);
            storage.list("").close();
            assertThat(other.changeMarker()).isEqualTo(markers.get(markers.size() - 1));
        } finally {
            other.close();
        }
    }

    @Test
    void theProbeAcceptsThisBackendAndLeavesNothingVisible() {
        storage.requireConditionalWrites();

        assertThat(listed("")).isEmpty();
    }

    @Test
    void theUnfinishedUploadsOfKilledWritersUnderAFolderAreAbortedAndNothingElse() {
        storage.create(key("models/models/m/v1/model.pt"), "registered".getBytes(StandardCharsets.UTF_8));
        startUnfinishedUpload(key("models/models/m/v2/model.pt"));
        startUnfinishedUpload(key("models/models/m/v3/deep/model.pt"));
        startUnfinishedUpload(key("audit_logs/reports/report.json"));

        assertThat(storage.abortUnfinishedUploads("models/models/m", java.time.Duration.ZERO)).isEqualTo(2);

        assertThat(content("models/models/m/v1/model.pt")).isEqualTo("registered");
        assertThat(listed("")).containsOnlyKeys(key("models/models/m/v1/model.pt"));
        assertThat(storage.abortUnfinishedUploads("models", java.time.Duration.ZERO)).isZero();
        assertThat(storage.abortUnfinishedUploads("", java.time.Duration.ZERO)).isEqualTo(1);
        assertNoUnfinishedUploads();
    }

    @Test
    void anUnfinishedUploadYoungerThanTheCutoffIsLeftToItsWriter() {
        startUnfinishedUpload(key("models/models/m/v2/model.pt"));

        assertThat(storage.abortUnfinishedUploads("models", java.time.Duration.ofHours(1))).isZero();
        assertThat(storage.under("models").abortUnfinishedUploads("", java.time.Duration.ZERO)).isEqualTo(1);
        assertNoUnfinishedUploads();
    }

    @Test
    void anUnfinishedUploadIsAbortedOnceItsLeaseSaysItsWriterIsGoneAndNeverWhileItsWriterLives() throws Exception {
        try (AutoCloseable live = startUploadOfALiveWriter(key("models/models/m/v1/model.pt"))) {
            startUploadOfADeadWriter(key("models/models/m/v2/model.pt"));

            assertThat(storage.abortUnfinishedUploads("models", java.time.Duration.ofHours(1)))
                    .as("the dead writer's, young as it is").isEqualTo(1);
            assertThat(storage.abortUnfinishedUploads("", java.time.Duration.ZERO))
                    .as("the live writer's, whatever the cutoff").isZero();
        }
    }

    @Test
    void criticalSectionsOfTwoProcessesNeverOverlap() throws Exception {
        int increments = 25;
        storage.create(key(StorageRaceChild.COUNTER_KEY), bytes("0"));
        Process first = startWriter("count-1", increments);
        Process second = startWriter("count-2", increments);
        try {
            goTogether(first, second);
            assertThat(first.waitFor(120, TimeUnit.SECONDS) && first.exitValue() == 0).isTrue();
            assertThat(second.waitFor(120, TimeUnit.SECONDS) && second.exitValue() == 0).isTrue();
            assertThat(content(StorageRaceChild.COUNTER_KEY)).isEqualTo(Integer.toString(2 * increments));
        } finally {
            first.destroyForcibly();
            second.destroyForcibly();
        }
    }

    @Test
    void ofTwoProcessesCreatingTheSameKeysEachKeyHasExactlyOneWinner() throws Exception {
        int keys = 40;
        Process first = startWriter("first", keys);
        Process second = startWriter("second", keys);
        try {
            goTogether(first, second);
            Set<Integer> firstWins = wins(first);
            Set<Integer> secondWins = wins(second);

            assertThat(first.waitFor(60, TimeUnit.SECONDS) && first.exitValue() == 0).isTrue();
            assertThat(second.waitFor(60, TimeUnit.SECONDS) && second.exitValue() == 0).isTrue();
            // Not doesNotContainAnyElementsOf: it refuses an empty set, and one process may win every key.
            Set<Integer> claimedByBoth = new HashSet<>(firstWins);
            claimedByBoth.retainAll(secondWins);
            assertThat(claimedByBoth).as("keys both processes were told they created").isEmpty();
            Set<Integer> all = new HashSet<>(firstWins);
            all.addAll(secondWins);
            assertThat(all).hasSize(keys);
            for (int i = 0; i < keys; i++) {
                assertThat(content("audit_logs/claims/" + i)).isEqualTo(firstWins.contains(i) ? "first" : "second");
            }
        } finally {
            first.destroyForcibly();
            second.destroyForcibly();
        }
    }

    // Helpers

    /** Runs both claims at once on {@code pool}: whether each created what it claims (false when it found it taken). */
    private static boolean[] atOnce(ExecutorService pool, Runnable first, Runnable second) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> attempts = new ArrayList<>();
        for (Runnable claim : List.of(first, second)) {
            attempts.add(pool.submit(() -> {
                start.await();
                try {
                    claim.run();
                    return true;
                } catch (ConditionFailedException lost) {
                    return false;
                }
            }));
        }
        start.countDown();
        return new boolean[] {attempts.get(0).get(30, TimeUnit.SECONDS), attempts.get(1).get(30, TimeUnit.SECONDS)};
    }

    protected static Key key(String value) {
        return Key.of(value);
    }

    protected String content(String key) {
        return new String(storage.read(key(key), 1 << 20).orElseThrow().content(), StandardCharsets.UTF_8);
    }

    private Map<Key, StoredObject> listed(String folder) {
        try (Stream<StoredObject> objects = storage.list(folder)) {
            return objects.collect(Collectors.toMap(StoredObject::key, Function.identity()));
        }
    }

    /** A {@link StorageRaceChild} named {@code writer} on this storage, doing {@code count} claims or increments. */
    private Process startWriter(String writer, int count) throws IOException {
        List<String> arguments = new ArrayList<>(childArguments());
        arguments.add(Integer.toString(count));
        return JvmProcess.start(List.of(), StorageRaceChild.class.getName(), withWriter(arguments, writer));
    }

    /** Waits until both children are ready, then lets them go at once. */
    private static void goTogether(Process first, Process second) throws IOException {
        JvmProcess.awaitLine(first, StorageRaceChild.READY);
        JvmProcess.awaitLine(second, StorageRaceChild.READY);
        for (Process process : List.of(first, second)) {
            Writer go = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            go.write("go\n");
            go.flush();
        }
    }

    private static String[] withWriter(List<String> arguments, String writer) {
        List<String> all = new ArrayList<>(List.of(writer));
        all.addAll(arguments);
        return all.toArray(String[]::new);
    }

    /** Reads "won N" lines until "done"; the child's other output is kept for the failure message. */
    private static Set<Integer> wins(Process process) throws IOException {
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Set<Integer> won = new HashSet<>();
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.equals(StorageRaceChild.DONE)) {
                return won;
            }
            if (line.startsWith("won ")) {
                won.add(Integer.parseInt(line.substring(4)));
            } else {
                seen.append(line).append('\n');
            }
        }
        throw new AssertionError("The child ended before it was done; it printed:\n" + seen);
    }

    @Test
    void aFolderViewSeesTheKeysUnderItsFolderRelativeToItAndWritesThroughToThem() {
        storage.create(key("models/metadata/a_1.json"), bytes("a"));
        storage.create(key("models_old/b.json"), bytes("b"));
        Storage models = storage.under("models");

        models.create(key("metadata/c_1.json"), bytes("c"));

        assertThat(models.list("").map(object -> object.key().value()).sorted())
                .containsExactly("metadata/a_1.json", "metadata/c_1.json");
        assertThat(content("models/metadata/c_1.json")).isEqualTo("c");
        Document read = models.read(key("metadata/a_1.json"), 100).orElseThrow();
        assertThat(read.key().value()).isEqualTo("metadata/a_1.json");
        models.replace(key("metadata/a_1.json"), bytes("a2"), read.version());
        assertThat(content("models/metadata/a_1.json")).isEqualTo("a2");
        assertThat(storage.under("models/metadata").stat(key("c_1.json"))).isPresent();
        assertThatThrownBy(() -> storage.under(".neural-mlops")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void readModifyWritesRetriedOptimisticallyLoseNoIncrementFromConcurrentWriters() throws Exception {
        Key counter = key("deployments/counter");
        storage.create(counter, bytes("0"));
        int writers = 4;
        int increments = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < increments; i++) {
                        Optimistic.retry("count", () -> storage.exclusively(key("deployments/.lock"), () -> {
                            Document current = storage.read(counter, 100).orElseThrow();
                            int value = Integer.parseInt(new String(current.content(), StandardCharsets.UTF_8));
                            return storage.replace(counter, bytes(Integer.toString(value + 1)), current.version());
                        }));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(content("deployments/counter")).isEqualTo(Integer.toString(writers * increments));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
