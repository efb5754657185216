package neural.mlops.deployment;

import java.util.Optional;

/**
 * What the tracker needs to know of the model registry, so that it does not depend on it: whether
 * a model version exists and which stage it is in. The workspace links the registry through this.
 */
public interface ModelCatalog {

    /** No registry linked (a tracker opened on its own, as in the original API): every version is accepted. */
    ModelCatalog NONE = new ModelCatalog() {
        @Override
        public Optional<String> stageOf(String modelName, String version) {
            return Optional.empty();
        }

        @Override
        public boolean isLinked() {
            return false;
        }

        @Override
        public String toString() {
            return "ModelCatalog.NONE";
        }
    };

    /**
     * The stage of {@code modelName} {@code version} ({@code development}, {@code staging},
     * {@code production}, {@code archived}), or empty when that version does not exist.
     */
    Optional<String> stageOf(String modelName, String version);

    /** False only for {@link #NONE}: an unlinked catalog knows no versions and refuses none. */
    default boolean isLinked() {
        return true;
    }
}
