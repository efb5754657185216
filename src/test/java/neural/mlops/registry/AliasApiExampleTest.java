package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.testing.TestClock;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aliases example of docs/api.md, run as written on a workspace with v1.0.0 and v2.0.0, and shown exactly so. */
class AliasApiExampleTest {

    static final Path THIS_SOURCE = Path.of("src/test/java/neural/mlops/registry/AliasApiExampleTest.java");

    @TempDir
    Path folder;

    @Test
    void theDocumentedAliasExampleRunsAsDescribed() throws Exception {
        TestClock clock = TestClock.at("2024-05-02T14:00:00Z");
        try (Workspace workspace = Workspace.open(Files.createDirectories(folder.resolve("ws")), "alice", clock,
                Optional.empty())) {
            ModelRegistry registry = workspace.registry();
            for (String v : List.of("v1.0.0", "v2.0.0")) {
                registry.registerModel(RegisterRequest.builder("fraud_detector", v,
                        Files.writeString(folder.resolve(v + ".pt"), "weights " + v)).framework("pytorch").build());
            }
            workspace.aliases().set("fraud_detector", "champion", "v1.0.0", null);
            clock.advance(java.time.Duration.ofDays(365));

            // example: begin
            Aliases aliases = workspace.aliases();   // audited as the workspace's user, governed by policy.aliases
            aliases.set("fraud_detector", "champion", "v2.0.0", "beats v1 on recall");     // set, or move: one event
            String version = aliases.resolve("fraud_detector", "champion");               // "v2.0.0"
            VersionId id = aliases.version("fraud_detector@champion", null);              // also ("fraud_detector", "@champion")
            List<Alias> current = aliases.list("fraud_detector");                          // by alias name
            Map<String, List<Alias>> all = aliases.listAll();                              // by model
            List<AliasMove> moves = aliases.history("fraud_detector");                     // newest first
            Map<String, String> then = aliases.at("fraud_detector", Instant.parse("2024-06-01T00:00:00Z"));
            AliasMove removed = aliases.remove("fraud_detector", "champion", "retired");
            Aliases readOnly = Aliases.reading(registry);   // listing and resolving without a workspace
            // example: end

            assertThat(version).isEqualTo("v2.0.0");
            assertThat(id).isEqualTo(new VersionId("fraud_detector", "v2.0.0"));
            assertThat(current).extracting(Alias::version).containsExactly("v2.0.0");
            assertThat(all).containsOnlyKeys("fraud_detector");
            assertThat(moves).extracting(AliasMove::action).containsExactly("move_alias", "set_alias");
            assertThat(then).isEqualTo(Map.of("champion", "v1.0.0"));
            assertThat(removed.fromVersion()).isEqualTo("v2.0.0");
            assertThat(readOnly.list("fraud_detector")).isEmpty();
        }
    }

    @Test
    void theApiDocumentShowsExactlyTheCodeThatRuns() throws Exception {
        List<String> example = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(THIS_SOURCE)) {
            if (line.strip().equals("// example: end")) {
                inside = false;
            }
            if (inside) {
                example.add(line.strip());
            }
            if (line.strip().equals("// example: begin")) {
                inside = true;
            }
        }
        List<String> doc = Files.readAllLines(ApiDocExampleTest.API_DOC).stream().map(String::strip).toList();

        assertThat(example).hasSize(10);
        assertThat(String.join("\n", doc)).contains(String.join("\n", example));
    }
}
