package neural.mlops.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Changes to a version's descriptive metadata ({@code updateModel}): a new description, tags to add
 * or remove ({@link Tags}), metrics to set, lineage parts to set or clear. The artifact, stage and
 * identity never change this way. A model's own document ({@code updateModelDocument}) takes the
 * description and tags only. Every value is checked when the update is built, before anything is
 * read or written.
 */
public final class ModelUpdate {

    private final String description;
    private final List<String> addTags;
    private final List<String> removeTags;
    private final Map<String, Double> metrics;
    private final Map<LineageField, Optional<String>> lineage;

    private ModelUpdate(Builder builder) {
        this.description = builder.description == null ? null
                : Checks.text("description", builder.description, Checks.MAX_DESCRIPTION);
        this.addTags = Checks.tags(builder.addTags);
        this.removeTags = Checks.tags(builder.removeTags);
        this.metrics = Collections.unmodifiableMap(Checks.metrics(builder.metrics));
        Map<LineageField, Optional<String>> parts = new EnumMap<>(LineageField.class);
        builder.lineage.forEach((field, value) -> parts.put(field, Optional.ofNullable(field.check(value))));
        this.lineage = Collections.unmodifiableMap(parts);
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

    /** The lineage parts to change: a value to set, or empty to clear that part. */
    public Map<LineageField, Optional<String>> lineage() {
        return lineage;
    }

    /** True when the update asks for no change at all. */
    public boolean isEmpty() {
        return description == null && addTags.isEmpty() && removeTags.isEmpty() && metrics.isEmpty()
                && lineage.isEmpty();
    }

    /** Collects the changes; nothing given means nothing to change. */
    public static final class Builder {
        private String description;
        private final List<String> addTags = new ArrayList<>();
        private final List<String> removeTags = new ArrayList<>();
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<LineageField, String> lineage = new EnumMap<>(LineageField.class);

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

        /** Sets one lineage part; null or blank clears it. */
        public Builder lineage(LineageField field, String value) {
            lineage.put(field, value);
            return this;
        }

        /** Sets the lineage part named {@code key} ({@link LineageField#parse}); refuses an unknown key. */
        public Builder lineage(String key, String value) {
            return lineage(LineageField.parse(key), value);
        }

        public ModelUpdate build() {
            return new ModelUpdate(this);
        }
    }
}
