package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class OutputGuardTest {

    @TempDir
    Path dir;

    Path models;
    Path settings;
    OutputGuard guard;

    @BeforeEach
    void aWorkspaceWithAStoreAndASettingsFile() throws IOException {
        models = Files.createDirectories(dir.resolve("ws/models"));
        settings = Files.writeString(dir.resolve("ws/workspace.yaml"), "name: x\n");
        guard = OutputGuard.outside(List.of(models, settings));
    }

    @Test
    void aPathOutsideTheStoresIsGivenBackAbsoluteAndNothingIsCreated() {
        Path target = guard.check(dir.resolve("ws/exports/../out.json"), false);

        assertThat(target).isEqualTo(dir.resolve("ws/out.json").toAbsolutePath());
        assertThat(target).doesNotExist();
    }

    @Test
    void aPathInsideAStoreFolderOrAtAStoreFileIsRefused() {
        assertThatThrownBy(() -> guard.check(models.resolve("metadata/m_v1.json"), true))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("inside the store " + models);
        assertThatThrownBy(() -> guard.check(settings, true))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("workspace.yaml");
        assertThat(guard.check(dir.resolve("ws/models2/x.json"), false)).isNotNull();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aStoreRootThatIsALinkIsProtectedWhereItLeads() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("disk2/models"));
        Path linked = Files.createSymbolicLink(dir.resolve("ws2"), dir.resolve("disk2"));
        OutputGuard onLink = OutputGuard.outside(List.of(linked.resolve("models")));

        assertThatThrownBy(() -> onLink.check(elsewhere.resolve("x.json"), true))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("inside the store");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aChainOfLinksEndingInAStoreIsRefused() throws IOException {
        Path first = Files.createSymbolicLink(dir.resolve("first"), dir.resolve("second"));
        Files.createSymbolicLink(dir.resolve("second"), models.resolve("new.json"));

        assertThatThrownBy(() -> guard.check(first, true))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("through a link");
    }

    @Test
    void anExistingFileIsAConflictUnlessReplacingIsAllowed() throws IOException {
        Path existing = Files.writeString(dir.resolve("out.json"), "old");

        assertThatThrownBy(() -> guard.check(existing, false))
                .isInstanceOf(ConflictException.class).hasMessageContaining("already exists");
        assertThat(guard.check(existing, true)).isEqualTo(existing.toAbsolutePath());
        assertThatThrownBy(() -> guard.check(dir, true))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is a folder");
    }
}
