package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against servers that do not keep their word; the backends that do are checked by the
 * contract suite. The fakes wrap a real folder and drop or distort the conditions, as a server
 * or proxy that ignores the headers would.
 */
class ConditionalWriteProbeTest {

    @TempDir
    Path root;

    @Test
    void aServerThatIgnoresCreateOnlyIsRefused() {
        Storage ignoring = new Distorting(new LocalStorage(root), true, false);

        assertThatThrownBy(ignoring::requireConditionalWrites)
                .isInstanceOf(UnsafeStorageException.class)
                .hasMessageContaining("Refusing to write to " + root)
                .hasMessageContaining("If-None-Match: *");
    }

    @Test
    void aServerThatIgnoresIfMatchIsRefused() {
        Storage ignoring = new Distorting(new LocalStorage(root), false, true);

        assertThatThrownBy(ignoring::requireConditionalWrites)
                .isInstanceOf(UnsafeStorageException.class)
                .hasMessageContaining("stale version (If-Match) was accepted");
    }

    @Test
    void theProbeLeavesNoScratchKeyBehindEvenWhenItRefuses() {
        LocalStorage local = new LocalStorage(root);

        assertThatThrownBy(new Distorting(local, true, true)::requireConditionalWrites)
                .isInstanceOf(UnsafeStorageException.class);

        // Nothing of the probe is left: its scratch key is gone, and the folder it emptied with it.
        assertThat(root.resolve(".neural-mlops/probe")).doesNotExist();
    }

    @Test
    void aServerThatKeepsItsWordPasses() {
        new LocalStorage(root).requireConditionalWrites();
    }

    /** A storage whose server drops If-None-Match and/or If-Match. */
    private record Distorting(Storage real, boolean dropCreateOnly, boolean dropIfMatch) implements Storage {

        private Condition distorted(Condition condition) {
            if (condition instanceof Condition.Absent && dropCreateOnly
                    || condition instanceof Condition.Matches && dropIfMatch) {
                return Condition.none();
            }
            return condition;
        }

        @Override
        public Version write(Key key, byte[] content, Condition condition) {
            return real.write(key, content, distorted(condition));
        }

        @Override
        public boolean delete(Key key, Condition condition) {
            return real.delete(key, distorted(condition));
        }

        @Override
        public String location() {
            return real.location();
        }

        @Override
        public Optional<Document> read(Key key, long maxBytes) {
            return real.read(key, maxBytes);
        }

        @Override
        public Optional<StoredObject> stat(Key key) {
            return real.stat(key);
        }

        @Override
        public Optional<InputStream> openStream(Key key) {
            return real.openStream(key);
        }

        @Override
        public Version upload(Key key, InputStream source, long sizeBytes, Condition condition, TransferListener listener) {
            return real.upload(key, source, sizeBytes, distorted(condition), listener);
        }

        @Override
        public Stream<StoredObject> list(String folder) {
            return real.list(folder);
        }

        @Override
        public int abortUnfinishedUploads(String folder, java.time.Duration olderThan) {
            return real.abortUnfinishedUploads(folder, olderThan);
        }

        @Override
        public ChangeMarker changeMarker() {
            return real.changeMarker();
        }

        @Override
        public <T> T exclusively(Key lock, java.time.Duration wait, java.util.function.Supplier<T> body) {
            return real.exclusively(lock, wait, body);
        }

        @Override
        public Optional<java.nio.file.Path> localFile(Key key) {
            return real.localFile(key);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
