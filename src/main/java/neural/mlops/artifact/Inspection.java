package neural.mlops.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import neural.mlops.store.Json;

/**
 * What {@link Inspector} found in one file: its format, a one-line summary, the safety verdict and
 * the globals that decided it, every global the file's pickles import, the parameter count when
 * it can be known, the tensors, and the format's own details (ONNX signature, GGUF metadata...).
 * {@code message} says why a file is unreadable, or what was left unscanned.
 */
public record Inspection(
        String format,
        String summary,
        Verdict verdict,
        List<String> offendingGlobals,
        List<String> globals,
        OptionalLong parameterCount,
        List<Tensor> tensors,
        ObjectNode details,
        String message,
        String scannerVersion) {

    /** Bumped whenever the allow list or the scanner changes, so stored verdicts can be recomputed. */
    public static final String SCANNER_VERSION = "1";

    public Inspection {
        offendingGlobals = List.copyOf(offendingGlobals);
        globals = List.copyOf(globals);
        tensors = List.copyOf(tensors);
        details = details.deepCopy();
    }

    /** A file no reader could read within its bounds. */
    static Inspection unreadable(String format, String reason) {
        return new Inspection(format, "cannot read: " + reason, Verdict.UNREADABLE, List.of(), List.of(),
                OptionalLong.empty(), List.of(), Json.mapper().createObjectNode(), reason, SCANNER_VERSION);
    }

    /**
     * An ONNX model's signature, {@code inputs -> outputs}, each {@code name type [dims]}; empty for
     * a format without one.
     */
    public String signature() {
        if (!details.has("inputs")) {
            return "";
        }
        return values(details.path("inputs")) + " \u2192 " + values(details.path("outputs"));
    }

    private static String values(JsonNode values) {
        List<String> parts = new ArrayList<>();
        for (JsonNode value : values) {
            List<String> dims = new ArrayList<>();
            value.path("shape").forEach(dim -> dims.add(dim.asText()));
            parts.add(value.path("name").asText() + " " + value.path("elem_type").asText("?") + " " + dims);
        }
        return String.join(", ", parts);
    }

    /**
     * The fields an inspection and a version's stored {@code artifact} block share, in one shape:
     * format, summary, verdict, offending globals and parameter count (null when not stated).
     */
    public static ObjectNode verdictJson(String format, String summary, Verdict verdict, List<String> offendingGlobals,
                                         OptionalLong parameterCount) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("format", format);
        node.put("summary", summary);
        node.put("verdict", verdict.text());
        ArrayNode offending = node.putArray("offending_globals");
        offendingGlobals.forEach(offending::add);
        if (parameterCount.isPresent()) {
            node.put("parameter_count", parameterCount.getAsLong());
        } else {
            node.putNull("parameter_count");
        }
        return node;
    }

    /** The JSON of {@code registry inspect --json} and of a version's {@code artifact} block. */
    public ObjectNode toJson() {
        ObjectNode node = verdictJson(format, summary, verdict, offendingGlobals, parameterCount);
        ArrayNode imported = node.putArray("globals");
        globals.forEach(imported::add);
        ArrayNode tensorArray = node.putArray("tensors");
        for (Tensor tensor : tensors) {
            ObjectNode item = tensorArray.addObject();
            item.put("name", tensor.name());
            item.put("dtype", tensor.dtype());
            ArrayNode shape = item.putArray("shape");
            tensor.shape().forEach(shape::add);
            item.put("bytes", tensor.bytes());
        }
        node.set("details", details.deepCopy());
        if (message != null) {
            node.put("message", message);
        }
        node.put("scanner_version", scannerVersion);
        return node;
    }
}
