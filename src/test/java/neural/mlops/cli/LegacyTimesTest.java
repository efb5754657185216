package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import neural.mlops.store.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original module's naive times in registry metadata and deployment documents (SPEC 10) are
 * read in the workspace's {@code legacy_timezone}, as its audit events are: the same fixture read
 * in two zones gives instants that differ by the zones' offsets.
 */
class LegacyTimesTest {

    /** fraud_detector v1.0.0's created_at in models/metadata, as the original wrote it. */
    private static final LocalDateTime V1_CREATED = LocalDateTime.parse("2024-01-10T09:15:00.250");
    /** The failed deployment's created_at, as the original wrote it. */
    private static final LocalDateTime FAILED_CREATED = LocalDateTime.parse("2024-01-16T09:30:00.654321");
    private static final String FAILED = "deploy_20240116_093000_fraud_detector_v2.0.0";

    @TempDir
    Path workspace;

    @BeforeEach
    void copyTheFixture() throws IOException, URISyntaxException {
        LegacyWorkspaceTest.copyLegacyFixture(workspace);
    }

    private void legacyZone(String zone) throws IOException {
        Files.writeString(workspace.resolve("workspace.yaml"), "legacy_timezone: " + zone + "\n");
    }

    private JsonNode json(String... args) throws IOException {
        String[] all = new String[args.length + 3];
        all[0] = "--workspace";
        all[1] = workspace.toString();
        all[2] = "--json";
        System.arraycopy(args, 0, all, 3, args.length);
        CliRun run = CliRun.of(all);
        assertThat(run.status()).as(run.err()).isZero();
        return Json.mapper().readTree(run.out());
    }

    private static Instant at(LocalDateTime naive, String zone) {
        return naive.atZone(ZoneId.of(zone)).toInstant();
    }

    private Instant shownCreatedAt() throws IOException {
        return Instant.parse(json("registry", "show", "fraud_detector", "v1.0.0").get("created_at").asText());
    }

    private Instant listedCreatedAt() throws IOException {
        for (JsonNode version : json("registry", "list")) {
            if (version.get("name").asText().equals("fraud_detector") && version.get("version").asText().equals("v1.0.0")) {
                return Instant.parse(version.get("created_at").asText());
            }
        }
        throw new AssertionError("fraud_detector v1.0.0 is not listed");
    }

    private Instant deploymentCreatedAt() throws IOException {
        for (JsonNode deployment : json("deploy", "list")) {
            if (deployment.get("deployment_id").asText().equals(FAILED)) {
                return Instant.parse(deployment.get("created_at").asText());
            }
        }
        throw new AssertionError(FAILED + " is not listed");
    }

    @Test
    void registryTimesAreReadInTheWorkspacesLegacyZone() throws IOException {
        legacyZone("Europe/Berlin");
        assertThat(shownCreatedAt()).isEqualTo(at(V1_CREATED, "Europe/Berlin"));
        assertThat(listedCreatedAt()).isEqualTo(at(V1_CREATED, "Europe/Berlin"));

        legacyZone("America/New_York");
        assertThat(shownCreatedAt()).isEqualTo(at(V1_CREATED, "America/New_York"));
        assertThat(listedCreatedAt()).isEqualTo(at(V1_CREATED, "America/New_York"));
    }

    @Test
    void aListingCachedInOneZoneIsNotReusedInAnother() throws IOException {
        legacyZone("Asia/Tokyo");
        listedCreatedAt();
        assertThat(listedCreatedAt()).isEqualTo(at(V1_CREATED, "Asia/Tokyo"));

        legacyZone("UTC");
        assertThat(listedCreatedAt()).isEqualTo(at(V1_CREATED, "UTC"));
    }

    @Test
    void deploymentTimesAreReadInTheWorkspacesLegacyZone() throws IOException {
        legacyZone("Europe/Berlin");
        Instant berlin = deploymentCreatedAt();
        legacyZone("America/New_York");
        Instant newYork = deploymentCreatedAt();

        assertThat(berlin).isEqualTo(at(FAILED_CREATED, "Europe/Berlin"));
        assertThat(newYork).isEqualTo(at(FAILED_CREATED, "America/New_York"));
        assertThat(java.time.Duration.between(berlin, newYork)).hasHours(6);
    }

    @Test
    void timesThisProductWroteDoNotDependOnTheLegacyZone() throws IOException {
        legacyZone("Europe/Berlin");
        Path model = Files.writeString(workspace.resolve("new-model.pt"), "weights");
        CliRun registered = CliRun.in(workspace, "carol", "registry", "register", "--name", "churn_model",
                "--version", "v9.0.0", "--model-path", model.toString(), "--framework", "sklearn");
        assertThat(registered.status()).as(registered.err()).isZero();
        String berlin = json("registry", "show", "churn_model", "v9.0.0").get("created_at").asText();
        legacyZone("America/New_York");
        assertThat(json("registry", "show", "churn_model", "v9.0.0").get("created_at").asText()).isEqualTo(berlin);
    }

    @Test
    void theHelpNamesLegacyTimezoneAndItsDefault() {
        for (String[] help : new String[][] {{"--help"}, {"audit", "--help"}}) {
            CliRun run = CliRun.of(help);
            assertThat(run.status()).isZero();
            assertThat(run.out().replaceAll("\\s+", " ")).as(String.join(" ", help))
                    .contains("legacy_timezone").containsPattern("default:? the system zone");
        }
    }
}
