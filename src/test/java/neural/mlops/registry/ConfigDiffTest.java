package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {

    @Test
    void nestedKeysAreComparedByTheirPathAsAddedRemovedChangedOrTheSame() {
        Map<String, Object> baseline = Map.of("epochs", 10, "optimizer", Map.of("name", "adam", "lr", 0.001),
                "layers", List.of(64, 32), "dropout", 0.1);
        Map<String, Object> other = Map.of("epochs", 10.0, "optimizer", Map.of("name", "adam", "lr", 0.0005,
                "momentum", 0.9), "layers", List.of(64, 32));

        ConfigDiff diff = ConfigDiff.between(baseline, other);

        assertThat(diff.entries()).extracting(ConfigDiff.Entry::path, ConfigDiff.Entry::kind).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("epochs", ConfigDiff.Kind.SAME),
                org.assertj.core.groups.Tuple.tuple("optimizer.name", ConfigDiff.Kind.SAME),
                org.assertj.core.groups.Tuple.tuple("optimizer.lr", ConfigDiff.Kind.CHANGED),
                org.assertj.core.groups.Tuple.tuple("optimizer.momentum", ConfigDiff.Kind.ADDED),
                org.assertj.core.groups.Tuple.tuple("layers", ConfigDiff.Kind.SAME),
                org.assertj.core.groups.Tuple.tuple("dropout", ConfigDiff.Kind.REMOVED));
        assertThat(diff.differences()).extracting(ConfigDiff.Entry::path)
                .containsExactlyInAnyOrder("optimizer.lr", "optimizer.momentum", "dropout");
        assertThat(diff.toJson().at("/changed/optimizer.lr/version1").asDouble()).isEqualTo(0.001);
        assertThat(diff.toJson().at("/changed/optimizer.lr/version2").asDouble()).isEqualTo(0.0005);
        assertThat(diff.toJson().at("/added/optimizer.momentum").asDouble()).isEqualTo(0.9);
        assertThat(diff.toJson().at("/removed/dropout").asDouble()).isEqualTo(0.1);
    }

    @Test
    void aReorderedListIsAChangeAndAKeyWithADotIsQuotedInItsPath() {
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("layers", List.of(64, 32));
        baseline.put("data", Map.of("train.csv", "s3://a"));
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("layers", List.of(32, 64));
        other.put("data", Map.of("train.csv", "s3://b"));

        ConfigDiff diff = ConfigDiff.between(baseline, other);

        assertThat(diff.differences()).extracting(ConfigDiff.Entry::path).containsExactly("layers", "data[\"train.csv\"]");
    }

    @Test
    void identicalConfigurationsHaveNoDifferences() {
        Map<String, Object> config = Map.of("a", Map.of("b", 1), "c", "x");
        assertThat(ConfigDiff.between(config, config).hasDifferences()).isFalse();
        assertThat(ConfigDiff.between(Map.of(), Map.of()).entries()).isEmpty();
    }
}
