package neural.mlops.registry;

import java.util.Objects;

/** A property of two versions side by side (stage, framework, artifact size or hash). */
public record ValueChange<T>(T version1, T version2) {

    public boolean changed() {
        return !Objects.equals(version1, version2);
    }
}
