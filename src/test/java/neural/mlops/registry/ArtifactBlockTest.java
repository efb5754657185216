package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import neural.mlops.artifact.Inspection;
import neural.mlops.artifact.Verdict;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.store.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code artifact} block: scanned at registration, kept on rewrite, refreshed by a scan of every version. */
class ArtifactBlockTest {

    @TempDir
    Path workspace;

    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(workspace);
    }

    private static Path fixture(String name) {
        try {
            return Path.of(ArtifactBlockTest.class.getResource("/artifacts/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private ModelVersion register(String version, String fixture) {
        return fx.registry.registerModel(RegisterRequest.builder("net", version, fixture(fixture))
                .framework("pytorch").build());
    }

    private List<AuditRecord> recorded(EventType type) {
        return fx.audit.records.stream().filter(r -> r.type() == type).toList();
    }

    @Test
    void registrationStoresTheScanOfTheStoredFileInTheMetadataDocument() {
        register("v1", "tiny.safetensors");

        ObjectNode block = (ObjectNode) Json.readObject(fx.metadataFile("net", "v1")).get("artifact");
        assertThat(block.get("format").asText()).isEqualTo("safetensors");
        assertThat(block.get("verdict").asText()).isEqualTo("safe");
        assertThat(block.get("scanner_version").asText()).isEqualTo(Inspection.SCANNER_VERSION);
        assertThat(block.get("parameter_count").isIntegralNumber()).isTrue();
        assertThat(block.has("tensors")).as("the tensors are recomputed when shown, not stored").isFalse();
        ArtifactRecord stored = fx.registry.storedArtifact("net", "v1").orElseThrow();
        assertThat(stored.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(stored.current()).isTrue();
        assertThat(recorded(EventType.SECURITY_VIOLATION)).isEmpty();
    }

    @Test
    void anUnsafeFileRegisteredWithoutAPolicyIsRegisteredWithAWarningEventNamingTheGlobal() {
        ModelVersion registered = register("v1", "evil_os_system.pkl");

        assertThat(registered.stage()).isEqualTo(ModelStage.DEVELOPMENT);
        ArtifactRecord stored = fx.registry.storedArtifact("net", "v1").orElseThrow();
        assertThat(stored.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(stored.offendingGlobals()).contains("os.system");
        assertThat(recorded(EventType.SECURITY_VIOLATION)).singleElement().satisfies(event -> {
            assertThat(event.severity()).isEqualTo(EventSeverity.WARNING);
            assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(event.resourceId()).isEqualTo("net:v1");
            assertThat(event.reason()).contains("os.system");
        });
        assertThat(recorded(EventType.MODEL_REGISTERED)).hasSize(1);
    }

    @Test
    void theGuardSeesTheScanOfARegistrationIntoDevelopment() {
        List<PromotionContext> seen = new ArrayList<>();
        ModelRegistry guarded = new ModelRegistry(fx.root, fx.audit, "alice", fx.clock, seen::add,
                ActiveDeployments.NONE);

        guarded.registerModel(RegisterRequest.builder("net", "v1", fixture("evil_nested.pt")).framework("pytorch")
                .build());

        assertThat(seen).singleElement().satisfies(context -> {
            assertThat(context.fromStage()).isNull();
            assertThat(context.targetStage()).isEqualTo(ModelStage.DEVELOPMENT);
            assertThat(context.artifact()).hasValueSatisfying(a -> {
                assertThat(a.format()).isEqualTo("pytorch");
                assertThat(a.verdict()).isEqualTo(Verdict.UNSAFE);
                assertThat(a.offendingGlobals()).contains("posix.system");
            });
        });
    }

    @Test
    void aPromotionKeepsTheBlockAndTheGuardSeesItAsStored() {
        register("v1", "tiny_mlp.onnx");
        List<PromotionContext> seen = new ArrayList<>();
        ModelRegistry guarded = new ModelRegistry(fx.root, fx.audit, "alice", fx.clock, seen::add,
                ActiveDeployments.NONE);

        guarded.promoteModel("net", "v1", ModelStage.STAGING, "try it");

        assertThat(seen).singleElement().satisfies(context ->
                assertThat(context.artifact()).map(ArtifactRecord::format).contains("onnx"));
        assertThat(fx.registry.storedArtifact("net", "v1")).map(ArtifactRecord::format).contains("onnx");
    }

    @Test
    void aScanOfEveryVersionRewritesOnlyTheBlocksThatChangedWithOneEventEach() throws IOException {
        register("v1", "tiny.safetensors");
        register("v2", "evil_stack_global.pkl");
        register("v3", "tiny.gguf");
        // v1 scanned by an older scanner, v2 registered by a tool that did not scan; v3 is current.
        Path v1 = fx.metadataFile("net", "v1");
        ObjectNode document = Json.readObject(v1);
        ((ObjectNode) document.get("artifact")).put("scanner_version", "0").put("verdict", "unknown");
        document.put("written_by", "another tool");
        Files.write(v1, Json.mapper().writeValueAsBytes(document));
        Path v2 = fx.metadataFile("net", "v2");
        ObjectNode unscanned = Json.readObject(v2);
        unscanned.remove("artifact");
        Files.write(v2, Json.mapper().writeValueAsBytes(unscanned));
        int updatesBefore = recorded(EventType.MODEL_UPDATED).size();

        List<ArtifactScan> rows = fx.registry.scanArtifacts();

        assertThat(rows).extracting(ArtifactScan::version).containsExactly("v1", "v2", "v3");
        assertThat(rows).extracting(ArtifactScan::outcome).containsExactly(ArtifactScan.Outcome.UPDATED,
                ArtifactScan.Outcome.UPDATED, ArtifactScan.Outcome.UNCHANGED);
        assertThat(rows.get(0).before()).map(ArtifactRecord::scannerVersion).contains("0");
        assertThat(rows.get(1).before()).isEmpty();
        assertThat(fx.registry.storedArtifact("net", "v1")).map(ArtifactRecord::verdict).contains(Verdict.SAFE);
        assertThat(fx.registry.storedArtifact("net", "v2")).map(ArtifactRecord::verdict).contains(Verdict.UNSAFE);
        assertThat(Json.readObject(v1).get("written_by").asText()).as("unknown fields kept").isEqualTo("another tool");
        List<AuditRecord> updates = recorded(EventType.MODEL_UPDATED);
        assertThat(updates.subList(updatesBefore, updates.size())).extracting(AuditRecord::resourceId)
                .containsExactly("net:v1", "net:v2");

        assertThat(fx.registry.scanArtifacts()).extracting(ArtifactScan::outcome)
                .containsOnly(ArtifactScan.Outcome.UNCHANGED);
        assertThat(recorded(EventType.MODEL_UPDATED)).hasSize(updates.size());
    }

    @Test
    void aScanReportsAMissingModelFileAndGoesOn() throws IOException {
        register("v1", "tiny.safetensors");
        register("v2", "tiny.gguf");
        Files.delete(fx.root.resolve("models/net/v1/tiny.safetensors"));

        List<ArtifactScan> rows = fx.registry.scanArtifacts();

        assertThat(rows.get(0).outcome()).isEqualTo(ArtifactScan.Outcome.FAILED);
        assertThat(rows.get(0).problem()).contains("missing");
        assertThat(rows.get(1).outcome()).isEqualTo(ArtifactScan.Outcome.UNCHANGED);
    }
}
