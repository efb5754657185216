package neural.mlops.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import neural.mlops.policy.Policy;
import neural.mlops.policy.PolicyFileException;
import neural.mlops.store.storage.LocalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** workspace.yaml's legacy_timezone: the zone the original module's naive times are read in (SPEC 10). */
class LegacyTimezoneTest {

    @TempDir
    Path dir;

    @Test
    void theStatedZoneIsReadAndTheSystemZoneIsTheDefault() throws IOException {
        assertThat(LegacyTimezone.read(new LocalStorage(dir), "workspace.yaml")).isEqualTo(ZoneId.systemDefault());

        Files.writeString(dir.resolve("workspace.yaml"), "name: migrated\nlegacy_timezone: Europe/Berlin\n");

        assertThat(Policy.read(dir.resolve("workspace.yaml"))).isNotNull();
        assertThat(LegacyTimezone.read(new LocalStorage(dir), "workspace.yaml")).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void aZoneThatDoesNotExistIsRefusedWithItsLine() throws IOException {
        Path file = Files.writeString(dir.resolve("workspace.yaml"), "name: migrated\nlegacy_timezone: Mars/Olympus\n");

        assertThatThrownBy(() -> Policy.read(file)).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("line 2").hasMessageContaining("legacy_timezone must be a time zone");
    }
}
