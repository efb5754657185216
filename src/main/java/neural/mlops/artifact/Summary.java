package neural.mlops.artifact;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import neural.mlops.store.Json;

/** What a reader collects while it reads, turned into an {@link Inspection} at the end. */
final class Summary {
    final String format;
    final ObjectNode details = Json.mapper().createObjectNode();
    final List<Tensor> tensors = new ArrayList<>();
    final List<String> globals = new ArrayList<>();
    final List<String> offending = new ArrayList<>();
    Verdict verdict = Verdict.SAFE;
    OptionalLong parameters = OptionalLong.empty();
    String message;

    Summary(String format) {
        this.format = format;
    }

    /** Adds one pickle stream's findings: the worst verdict wins and its offending globals are kept. */
    void add(PickleScan scan) {
        for (String global : scan.globals()) {
            if (!globals.contains(global)) {
                globals.add(global);
            }
        }
        tensors.addAll(scan.tensors());
        if (scan.note() != null) {
            message = scan.note();
        }
        Verdict worse = verdict.worst(scan.verdict());
        if (worse != verdict) {
            offending.clear();
        }
        if (worse == scan.verdict()) {
            scan.offending().stream().filter(g -> !offending.contains(g)).forEach(offending::add);
        }
        verdict = worse;
    }

    Inspection finish(String summary) {
        String verdictText = verdict == Verdict.SAFE ? "safe" : verdict.text() + offendingText();
        return new Inspection(format, summary + "; " + verdictText, verdict, offending, globals, parameters,
                tensors, details, message, Inspection.SCANNER_VERSION);
    }

    private String offendingText() {
        return offending.isEmpty() ? "" : " (" + String.join(", ", offending) + ")";
    }

    static String count(long parameters) {
        return String.format("%,d parameters", parameters);
    }
}
