package neural.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import neural.mlops.artifact.Inspection;
import neural.mlops.artifact.Verdict;

/**
 * The {@code artifact} block of a version's metadata document: what the scan of its model file
 * found at registration (or at the last {@code registry scan}), short enough to keep in every
 * document. The full inspection (tensors, signature) is recomputed from the file when shown.
 */
public record ArtifactRecord(
        String format,
        String summary,
        Verdict verdict,
        List<String> offendingGlobals,
        OptionalLong parameterCount,
        String scannerVersion) {

    /** The key of the block in the metadata document. */
    public static final String FIELD = "artifact";
    /** Bound on what a block keeps, so a hostile file cannot swell every listing. */
    static final int MAX_GLOBALS = 50;
    static final int MAX_TEXT = 1000;

    public ArtifactRecord {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(verdict, "verdict");
        summary = summary == null ? "" : summary;
        offendingGlobals = List.copyOf(offendingGlobals);
        Objects.requireNonNull(parameterCount, "parameterCount");
        scannerVersion = scannerVersion == null ? "" : scannerVersion;
    }

    /** The block of a fresh inspection. */
    public static ArtifactRecord of(Inspection inspection) {
        List<String> offending = inspection.offendingGlobals();
        return new ArtifactRecord(inspection.format(), bounded(inspection.summary()), inspection.verdict(),
                offending.subList(0, Math.min(MAX_GLOBALS, offending.size())).stream().map(ArtifactRecord::bounded)
                        .toList(),
                inspection.parameterCount(), inspection.scannerVersion());
    }

    /**
     * The block of a metadata document, or empty when it has none or one this release cannot read
     * (another tool's, a future scanner's): a version without a readable block has no known verdict.
     */
    public static Optional<ArtifactRecord> fromDocument(JsonNode document) {
        JsonNode block = document == null ? null : document.get(FIELD);
        if (block == null || !block.isObject() || !block.path("format").isTextual()
                || !block.path("verdict").isTextual()) {
            return Optional.empty();
        }
        Verdict verdict;
        try {
            verdict = Verdict.valueOf(block.get("verdict").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
        List<String> offending = new ArrayList<>();
        for (JsonNode global : block.path("offending_globals")) {
            if (global.isTextual()) {
                offending.add(global.asText());
            }
        }
        JsonNode parameters = block.path("parameter_count");
        return Optional.of(new ArtifactRecord(block.get("format").asText(), block.path("summary").asText(""),
                verdict, offending,
                parameters.canConvertToLong() && parameters.isIntegralNumber()
                        ? OptionalLong.of(parameters.asLong()) : OptionalLong.empty(),
                block.path("scanner_version").asText("")));
    }

    /** True when the block was written by the scanner of this release. */
    public boolean current() {
        return scannerVersion.equals(Inspection.SCANNER_VERSION);
    }

    /** The block as stored in the metadata document. */
    public ObjectNode toJson() {
        ObjectNode node = Inspection.verdictJson(format, summary, verdict, offendingGlobals, parameterCount);
        node.put("scanner_version", scannerVersion);
        return node;
    }

    /** "unsafe (os.system)", "safe", for messages and tables. */
    public String verdictText() {
        return verdict.text() + (offendingGlobals.isEmpty() ? "" : " (" + String.join(", ", offendingGlobals) + ")");
    }

    private static String bounded(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
    }
}
