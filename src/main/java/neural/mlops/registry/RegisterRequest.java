package neural.mlops.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;
import neural.mlops.store.Users;

/**
 * Everything {@code registerModel} needs, built fluently; {@link Builder#build()} checks every
 * value, so a request that exists is valid (the model file is checked when it is copied).
 *
 * <pre>{@code
 * RegisterRequest.builder("fraud_detector", "v2.0.0", Path.of("model.pt"))
 *         .framework("pytorch")
 *         .metric("accuracy", 0.96)
 *         .tags("fraud", "production-ready")
 *         .build();
 * }</pre>
 */
public final class RegisterRequest {

    static final int MAX_FRAMEWORK = 64;

    private final String name;
    private final String version;
    private final Path modelFile;
    private final String framework;
    private final String createdBy;
    private final Map<String, Double> metrics;
    private final List<String> tags;
    private final String description;
    private final Map<String, Object> config;
    private final ModelStage stage;
    private final String reason;
    private final Lineage lineage;

    private RegisterRequest(Builder builder) {
        this.name = Names.require("model name", builder.name);
        this.version = Names.require("version", builder.version);
        if (builder.modelFile == null) {
            throw new InvalidInputException("Missing model file for " + name + " " + version + "; give the file to register");
        }
        this.modelFile = builder.modelFile;
        this.framework = Checks.line("framework", builder.framework, MAX_FRAMEWORK).strip();
        this.createdBy = builder.createdBy == null || builder.createdBy.isEmpty() ? null // none: the acting user
                : Users.require("creator (created_by)", builder.createdBy);
        this.metrics = Collections.unmodifiableMap(Checks.metrics(builder.metrics));
        this.tags = Checks.tags(builder.tags);
        this.description = Checks.text("description", builder.description, Checks.MAX_DESCRIPTION);
        this.config = Collections.unmodifiableMap(ConfigValues.normalize(builder.config));
        this.stage = builder.stage;
        this.reason = Checks.optionalLine("reason", builder.reason, Checks.MAX_SHORT * 4);
        Lineage given = builder.lineage;
        Lineage checked = Lineage.NONE;
        for (LineageField field : LineageField.values()) {
            checked = field.in(checked, field.check(field.of(given)));
        }
        this.lineage = checked;
    }

    /** Starts a request for version {@code version} of {@code name}, copied from {@code modelFile}. */
    public static Builder builder(String name, String version, Path modelFile) {
        return new Builder(name, version, modelFile);
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public Path modelFile() {
        return modelFile;
    }

    public String framework() {
        return framework;
    }

    /** The creator, or null to use the registry's acting user. */
    public String createdBy() {
        return createdBy;
    }

    public Map<String, Double> metrics() {
        return metrics;
    }

    public List<String> tags() {
        return tags;
    }

    public String description() {
        return description;
    }

    public Map<String, Object> config() {
        return config;
    }

    public ModelStage stage() {
        return stage;
    }

    /** The reason recorded with the first stage (null: "registered"). */
    public String reason() {
        return reason;
    }

    public Lineage lineage() {
        return lineage;
    }

    /** Collects a registration's values; all but the name, version, file and framework are optional. */
    public static final class Builder {
        private final String name;
        private final String version;
        private final Path modelFile;
        private String framework;
        private String createdBy;
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final List<String> tags = new ArrayList<>();
        private String description = "";
        private Map<String, ?> config = Map.of();
        private ModelStage stage = ModelStage.DEVELOPMENT;
        private String reason;
        private Lineage lineage = Lineage.NONE;

        private Builder(String name, String version, Path modelFile) {
            this.name = name;
            this.version = version;
            this.modelFile = modelFile;
        }

        /** The framework that produced the model: pytorch, tensorflow, sklearn, onnx, ... (required). */
        public Builder framework(String value) {
            this.framework = value;
            return this;
        }

        /** Who created the model; defaults to the registry's acting user. */
        public Builder createdBy(String value) {
            this.createdBy = value;
            return this;
        }

        /** Adds (or replaces) one metric; it must be a finite number. */
        public Builder metric(String metricName, double value) {
            metrics.put(metricName, Checks.metric(metricName, value));
            return this;
        }

        public Builder metrics(Map<String, ? extends Number> values) {
            metrics.putAll(Checks.metrics(values));
            return this;
        }

        public Builder tag(String value) {
            tags.add(value);
            return this;
        }

        public Builder tags(String... values) {
            tags.addAll(Arrays.asList(values));
            return this;
        }

        public Builder tags(Collection<String> values) {
            tags.addAll(values);
            return this;
        }

        public Builder description(String value) {
            this.description = value;
            return this;
        }

        /** The version's configuration, stored in config.yaml and in the metadata's {@code config}. */
        public Builder config(Map<String, ?> value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        /** The stage to start in (default development); production archives the current production version. */
        public Builder stage(ModelStage value) {
            this.stage = Objects.requireNonNull(value, "stage");
            return this;
        }

        /** The reason recorded with the first stage in {@code stage_history}. */
        public Builder reason(String value) {
            this.reason = value;
            return this;
        }

        public Builder lineage(Lineage value) {
            this.lineage = value == null ? Lineage.NONE : value;
            return this;
        }

        /** Checks every value and returns the request; bad input throws {@code InvalidInputException}. */
        public RegisterRequest build() {
            return new RegisterRequest(this);
        }
    }
}
