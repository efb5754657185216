package neural.mlops.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Changes to a version's descriptive metadata ({@code updateModel}): a new description, tags to add
 * or remove, metrics to set. The artifact, stage and identity never change this way.
 */
public final class ModelUpdate {

    private final String description;
    private final List<String> addTags;
    private final List<String> removeTags;
    private final Map<String, Double> metrics;

    private ModelUpdate(Builder builder) {
        this.description = builder.description == null ? null
                : Checks.text("description", builder.description, Checks.MAX_DESCRIPTION);
        this.addTags = Checks.tags(builder.addTags);
        this.removeTags = Checks.tags(builder.removeTags);
        this.metrics = Collections.unmodifiableMap(Checks.metrics(builder.metrics));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    public List<String> addTags() {
        return addTags;
    }

    public List<String> removeTags() {
        return removeTags;
    }

    public Map<String, Double> metrics() {
        return metrics;
    }

    /** Collects the changes; nothing given means nothing to change. */
    public static final class Builder {
        private String description;
        private final List<String> addTags = new ArrayList<>();
        private final List<String> removeTags = new ArrayList<>();
        private final Map<String, Double> metrics = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder description(String value) {
            this.description = value;
            return this;
        }

        public Builder addTag(String tag) {
            addTags.add(tag);
            return this;
        }

        public Builder removeTag(String tag) {
            removeTags.add(tag);
            return this;
        }

        public Builder metric(String metricName, double value) {
            metrics.put(metricName, Checks.metric(metricName, value));
            return this;
        }

        public ModelUpdate build() {
            return new ModelUpdate(this);
        }
    }
}
