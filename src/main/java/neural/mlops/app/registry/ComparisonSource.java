package neural.mlops.app.registry;

import java.util.List;
import neural.mlops.artifact.Inspection;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.VersionsComparison;

/**
 * Where an open comparison gets what it reads when a version joins it: the comparison (each
 * version's config.yaml) and what a model file holds. Called off the FX thread.
 */
public interface ComparisonSource {

    VersionsComparison compare(List<ModelVersion> versions, int baseline);

    Inspection inspect(ModelVersion version);

    /** The registry's own comparison and inspection. */
    static ComparisonSource of(ModelRegistry registry) {
        return new ComparisonSource() {
            @Override
            public VersionsComparison compare(List<ModelVersion> versions, int baseline) {
                return registry.compareLoaded(versions, baseline);
            }

            @Override
            public Inspection inspect(ModelVersion version) {
                return registry.inspectArtifact(version);
            }
        };
    }
}
