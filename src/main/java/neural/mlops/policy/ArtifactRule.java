package neural.mlops.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import neural.mlops.artifact.Verdict;
import neural.mlops.registry.ArtifactRecord;
import neural.mlops.store.Valued;

/**
 * A stage's rule on model files ({@code artifact: {require_verdict: safe, formats: [safetensors, onnx]}}):
 * the verdict the scan of the file must have, and the formats it may be in (empty: any).
 *
 * @param requireVerdict the verdict required, if any
 * @param formats        the formats allowed, as docs/artifacts.md names them; empty when any is
 */
public record ArtifactRule(Optional<Required> requireVerdict, List<String> formats) {

    /** The formats {@link neural.mlops.artifact.Inspector} names: what {@code formats} may list. */
    static final List<String> KNOWN_FORMATS = List.of("safetensors", "pytorch", "pytorch-legacy", "pickle", "joblib",
            "onnx", "keras", "gguf", "zip", "unknown");

    /** What {@code require_verdict} asks of the scan. */
    public enum Required implements Valued {
        /** The scan found nothing but allow-listed imports, or a format that holds no code. */
        SAFE,
        /**
         * The scan found nothing on the deny list; imports of unknown modules pass. A file the scan
         * could not read is not known to be harmless and does not pass.
         */
        NOT_UNSAFE;

        @Override
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean accepts(Verdict verdict) {
            return verdict == Verdict.SAFE || this == NOT_UNSAFE && verdict == Verdict.UNKNOWN;
        }
    }

    public ArtifactRule {
        formats = List.copyOf(formats);
    }

    /** What is wrong with {@code scanned} under this rule, one phrase per problem; empty when it passes. */
    List<String> problems(Optional<ArtifactRecord> scanned) {
        if (scanned.isEmpty()) {
            return List.of("no scan of its model file is recorded (registered before scanning, or by another tool)");
        }
        ArtifactRecord found = scanned.get();
        List<String> problems = new ArrayList<>();
        if (!formats.isEmpty() && !formats.contains(found.format())) {
            problems.add("its model file is in the format " + found.format() + ", which is not allowed (allowed: "
                    + String.join(", ", formats) + ")");
        }
        if (requireVerdict.isPresent() && !requireVerdict.get().accepts(found.verdict())) {
            problems.add("its model file is " + found.verdictText() + ", and " + requireVerdict.get().value()
                    + " is required" + (found.verdict() == Verdict.UNSAFE
                            ? ": loading it would import " + String.join(", ", found.offendingGlobals()) : ""));
        }
        return problems;
    }

    /** The rule as a phrase, for the GUI and {@code policy show}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        requireVerdict.ifPresent(required -> parts.add("model file " + required.value().replace('_', ' ')));
        if (!formats.isEmpty()) {
            parts.add("formats: " + String.join(", ", formats));
        }
        return String.join(", ", parts);
    }
}
