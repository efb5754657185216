package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import neural.mlops.store.InvalidInputException;
import org.junit.jupiter.api.Test;

class KeyTest {

    @Test
    void aKeyIsTheRelativePathWithItsSegments() {
        Key key = Key.of("models", "metadata", "fraud_v1.json");

        assertThat(key.value()).isEqualTo("models/metadata/fraud_v1.json");
        assertThat(key.segments()).containsExactly("models", "metadata", "fraud_v1.json");
        assertThat(key.fileName()).isEqualTo("fraud_v1.json");
        assertThat(key.depth()).isEqualTo(3);
        assertThat(Key.of("workspace.yaml").depth()).isEqualTo(1);
        assertThat(key).isEqualTo(Key.of("models/metadata/fraud_v1.json"));
    }

    @Test
    void aSegmentCannotSmuggleAnotherSegmentIn() {
        assertThatThrownBy(() -> Key.of("models", "../../etc")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aKeyLongerThanS3AllowsIsRefused() {
        assertThatThrownBy(() -> Key.of("a/".repeat(600) + "b"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1024 bytes");
    }

    @Test
    void theLimitIsInUtf8BytesNotCharacters() {
        String threeBytesEach = "\u20ac".repeat(341); // 1,023 bytes in 341 characters
        assertThat(Key.of(threeBytesEach).value()).isEqualTo(threeBytesEach);
        assertThatThrownBy(() -> Key.of(threeBytesEach + "ab"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1024 bytes");
        assertThat(Key.of("a".repeat(1024)).value()).hasSize(1024);
    }

    @Test
    void everySegmentIsCheckedWhereverItIs() {
        for (String bad : new String[] {".", "..", "/a", "a/", "a//b", "./a", "a/.", "a/../b", "a/b/..", "/"}) {
            assertThatThrownBy(() -> Key.of(bad)).as(bad).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'.' or '..' segment");
        }
        for (String good : new String[] {"...", ".a", "a.", "..a", "a..", "a/.b/c..", "a/.../b"}) {
            assertThat(Key.of(good).value()).as(good).isEqualTo(good);
        }
    }

    @Test
    void aFolderToListEndsWithASlashSoThatItMatchesNoSibling() {
        assertThat(Key.folder("")).isEmpty();
        assertThat(Key.folder("/")).isEmpty();
        assertThat(Key.folder("audit_logs/events")).isEqualTo("audit_logs/events/");
        assertThat(Key.folder("audit_logs/events/")).isEqualTo("audit_logs/events/");
        assertThatThrownBy(() -> Key.folder("audit_logs//events")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("storage folder");
    }

    @Test
    void theStoragesOwnKeysAreRecognised() {
        assertThat(Key.internal("change-marker").isInternal()).isTrue();
        assertThat(Key.of("neural-mlops/x").isInternal()).isFalse();
    }
}
