package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class StorePathsTest {

    @TempDir
    Path dir;

    @Test
    void resolvesPlainSegmentsInsideTheRoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("store"));
        assertThat(StorePaths.forWrite(root, "models", "m", "v1")).isEqualTo(root.resolve("models/m/v1"));
    }

    @Test
    void worksBeforeTheStoreExists() {
        Path root = dir.resolve("not-yet");
        assertThat(StorePaths.forWrite(root, "a", "b")).isEqualTo(root.resolve("a/b"));
    }

    @Test
    void refusesTraversalAndSeparators() {
        for (String segment : new String[] {"..", ".", "", "a/b", "a\\b", "x\0y"}) {
            assertThatThrownBy(() -> StorePaths.forWrite(dir, "models", segment))
                    .as(segment)
                    .isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void refusesALinkInsideTheStoreThatLeadsOutside() throws IOException {
        Path root = Files.createDirectories(dir.resolve("store"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("models"), outside);
        assertThatThrownBy(() -> StorePaths.forWrite(root, "models", "m", "v1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("outside the store");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void followsALinkThatStaysInsideTheStore() throws IOException {
        Path root = Files.createDirectories(dir.resolve("store"));
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        assertThat(StorePaths.forWrite(root, "alias", "doc.json")).isEqualTo(root.resolve("alias/doc.json"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void refusesADanglingLink() throws IOException {
        Path root = Files.createDirectories(dir.resolve("store"));
        Files.createSymbolicLink(root.resolve("doc.json"), dir.resolve("elsewhere.json"));
        assertThatThrownBy(() -> StorePaths.forWrite(root, "doc.json")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aStoreWhoseRootIsALinkIsStillUsable() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real-root"));
        Path link = Files.createSymbolicLink(dir.resolve("link-root"), real);
        assertThat(StorePaths.forWrite(link, "a.json")).isEqualTo(link.resolve("a.json"));
    }

    @Test
    void aWorkspaceWrittenFromScratchGetsANewOrEmptyFolderAndNothingElse() throws IOException {
        Path fresh = dir.resolve("fresh/nested");
        StorePaths.createEmptyFolder(fresh, "for the demo");
        assertThat(fresh).isEmptyDirectory();
        StorePaths.createEmptyFolder(fresh, "for the demo"); // an empty folder is fine too

        Files.writeString(fresh.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> StorePaths.createEmptyFolder(fresh, "for the demo"))
                .isInstanceOf(ConflictException.class)
                .hasMessage(fresh + " is not empty; choose a new or empty folder for the demo");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> StorePaths.createEmptyFolder(file, "for the demo"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("exists and is not a folder");
        assertThat(fresh.resolve("keep.txt")).hasContent("mine");
    }
}
