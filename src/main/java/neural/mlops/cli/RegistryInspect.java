package neural.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import neural.mlops.artifact.Inspection;
import neural.mlops.artifact.Inspector;
import neural.mlops.artifact.Tensor;
import neural.mlops.artifact.Verdict;
import neural.mlops.registry.ArtifactRecord;
import neural.mlops.registry.ArtifactScan;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelVersion;
import neural.mlops.store.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code registry inspect FILE | N V}: what a model file holds and whether loading it would import
 * something dangerous (docs/artifacts.md); for a version, also the {@code artifact} block stored at
 * registration, which {@code --update} replaces with the new scan when they differ. Exits 1 when
 * the verdict is unsafe or unreadable, so a script can gate on it.
 */
@Command(name = "inspect",
        description = "Show a model file's format, tensors and parameter count, and scan its pickles for unsafe imports.")
final class RegistryInspect extends CliCommand {
    private static final int TENSORS_SHOWN = 100;

    @Mixin
    RegistryCommand.HelpOption help;

    @Parameters(arity = "1..2", paramLabel = "FILE | N V",
            description = "A model file, or the name and version of a registered model.")
    List<String> target;

    @Option(names = "--update", description = "For a registered version: store the new scan in its metadata "
            + "when it differs from the stored one (recorded as model_updated).")
    boolean update;

    @Override
    public Integer call() {
        CliContext context = context();
        String shown;
        Inspection inspection;
        Optional<ArtifactRecord> stored = Optional.empty();
        Optional<ArtifactScan> updated = Optional.empty();
        if (target.size() == 1) {
            if (update) {
                throw new InvalidInputException("--update stores the scan of a registered version; give its name "
                        + "and version (registry inspect N V --update)");
            }
            Path file = Path.of(target.get(0));
            shown = file.toString();
            inspection = new Inspector().inspect(file);
        } else {
            // Through the registry's storage, so that a version in a bucket is inspected as one in a folder.
            ModelRegistry registry = update ? RegistryCommand.openRegistry(context) : context.registryForReading();
            ModelVersion model = registry.getModel(target.get(0), target.get(1));
            shown = model.name() + " " + model.version() + " (" + model.modelFile() + ")";
            stored = registry.storedArtifact(model.name(), model.version());
            inspection = registry.inspectArtifact(model);
            if (update) {
                updated = Optional.of(registry.scanArtifact(model.name(), model.version()));
            }
        }
        if (context.json()) {
            ObjectNode json = inspection.toJson();
            if (target.size() == 2) {
                json.set("stored_artifact", stored.<JsonNode>map(ArtifactRecord::toJson).orElse(NullNode.getInstance()));
                updated.ifPresent(row -> json.put("update", row.outcome().value()));
            }
            context.printJson(json);
        } else {
            print(context, shown, inspection);
            if (target.size() == 2) {
                context.out().println("Stored:      " + stored.map(s -> Terminal.text(s.verdictText()) + " ("
                        + s.format() + ", scanner " + Terminal.text(s.scannerVersion()) + ")")
                        .orElse("no scan stored (registry inspect N V --update stores one)"));
                updated.ifPresent(row -> context.out().println("Update:      " + row.outcome().value()
                        + (row.problem() == null ? "" : ": " + Terminal.text(row.problem()))));
                context.out().flush();
            }
        }
        if (updated.isPresent() && updated.get().outcome() == ArtifactScan.Outcome.FAILED) {
            context.message("neural-mlops: could not store the scan: " + Cli.oneLine(updated.get().problem()));
            return Cli.FAILED;
        }
        return inspection.verdict() == Verdict.UNSAFE || inspection.verdict() == Verdict.UNREADABLE
                ? Cli.FAILED : Cli.OK;
    }

    /** ONNX graph inputs or outputs as {@code name elem_type [dims]}, comma-separated. */
    private static String signature(JsonNode values) {
        List<String> parts = new ArrayList<>();
        for (JsonNode value : values) {
            parts.add(Terminal.text(value.path("name").asText() + " " + value.path("elem_type").asText("?") + " "
                    + value.path("shape").toString().replace("\"", "").replace(",", ", ")));
        }
        return String.join(", ", parts);
    }

    private static void print(CliContext context, String shown, Inspection inspection) {
        var out = context.out();
        out.println("File:        " + Terminal.text(shown));
        out.println("Format:      " + inspection.format());
        out.println("Summary:     " + Terminal.text(inspection.summary()));
        out.println("Verdict:     " + inspection.verdict().text()
                + (inspection.offendingGlobals().isEmpty() ? ""
                        : " (" + Terminal.text(String.join(", ", inspection.offendingGlobals())) + ")"));
        if (inspection.parameterCount().isPresent()) {
            out.println("Parameters:  " + inspection.parameterCount().getAsLong());
        }
        if (inspection.details().has("inputs")) {
            out.println("Signature:   " + signature(inspection.details().path("inputs")) + " -> "
                    + signature(inspection.details().path("outputs")));
        }
        if (!inspection.globals().isEmpty()) {
            out.println("Globals:     " + Terminal.text(String.join(", ", inspection.globals())));
        }
        if (inspection.message() != null) {
            out.println("Note:        " + Terminal.text(inspection.message()));
        }
        List<Tensor> tensors = inspection.tensors();
        if (!tensors.isEmpty()) {
            out.println("Tensors (" + tensors.size() + "):");
            for (Tensor tensor : tensors.subList(0, Math.min(TENSORS_SHOWN, tensors.size()))) {
                out.println("  " + Terminal.text(tensor.name()) + "  " + Terminal.text(tensor.dtype()) + "  "
                        + tensor.shape() + (tensor.bytes() >= 0 ? "  " + tensor.bytes() + " bytes" : ""));
            }
            if (tensors.size() > TENSORS_SHOWN) {
                out.println("  ... and " + (tensors.size() - TENSORS_SHOWN) + " more (--json lists them all)");
            }
        }
        out.flush();
    }
}
