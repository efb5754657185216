package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Path;
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
    private static final class Distorting extends ForwardingStorage {
        private final boolean dropCreateOnly;
        private final boolean dropIfMatch;

        Distorting(Storage real, boolean dropCreateOnly, boolean dropIfMatch) {
            super(real);
            this.dropCreateOnly = dropCreateOnly;
            this.dropIfMatch = dropIfMatch;
        }

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
        public Version upload(Key key, InputStream source, long sizeBytes, Condition condition, TransferListener listener) {
            return real.upload(key, source, sizeBytes, distorted(condition), listener);
        }
    }
}
