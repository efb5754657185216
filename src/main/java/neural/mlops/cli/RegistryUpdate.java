package neural.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import neural.mlops.registry.LineageField;
import neural.mlops.registry.ModelDocument;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelUpdate;
import neural.mlops.registry.ModelVersion;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code registry update N [V]}: edits a version's description, tags and lineage, or without a
 * version the model's own description and tags (issue 21). Each edit is one audited
 * {@code model_updated} event with the old and new values; values equal to the stored ones change
 * nothing and record nothing.
 */
@Command(name = "update", description = "Edit a version's description, tags and lineage, or (no version) the model's own "
        + "description and tags; audited with the old and new values.")
final class RegistryUpdate extends CliCommand {

    @Spec
    CommandSpec spec;

    @Mixin
    RegistryCommand.HelpOption help;

    @Parameters(index = "0", paramLabel = "N", description = "Model name.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "V",
            description = "Version; without it, the model's own description and tags.")
    String version;

    @Option(names = "--description", paramLabel = "TEXT", description = "The new description (\"\" clears it).")
    String description;

    @Option(names = "--add-tag", paramLabel = "T",
            description = "A tag to add (repeatable): a word, or KEY=VALUE, which replaces the tag with that key.")
    List<String> addTags = new ArrayList<>();

    @Option(names = "--remove-tag", paramLabel = "T",
            description = "A tag to remove (repeatable): KEY=VALUE that tag, a word that tag and every WORD=... tag.")
    List<String> removeTags = new ArrayList<>();

    @Option(names = "--set-lineage", paramLabel = "KEY=VALUE",
            description = "A lineage part (repeatable): source_commit (commit), run_id (run), dataset, parent_version "
                    + "(parent); an empty VALUE clears it.")
    List<String> lineage = new ArrayList<>();

    @Override
    public Integer call() {
        if (description == null && addTags.isEmpty() && removeTags.isEmpty() && lineage.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Nothing to update: give --description, --add-tag, "
                    + "--remove-tag or --set-lineage");
        }
        if (version == null && !lineage.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--set-lineage is for a version: a model has no lineage "
                    + "of its own; give the version (registry update " + name + " V --set-lineage ...)");
        }
        ModelUpdate update = update();
        CliContext context = context();
        ModelRegistry registry = RegistryCommand.openRegistry(context);
        return version == null ? updateModel(context, registry, update) : updateVersion(context, registry, update);
    }

    /** Every value checked before the registry is opened: a bad tag or lineage key writes nothing. */
    private ModelUpdate update() {
        Names.require("model name", name);
        if (version != null) {
            Names.require("version", version);
        }
        ModelUpdate.Builder builder = ModelUpdate.builder();
        if (description != null) {
            builder.description(description);
        }
        addTags.forEach(builder::addTag);
        removeTags.forEach(builder::removeTag);
        for (String part : lineage) {
            int equals = part.indexOf('=');
            if (equals < 0) {
                throw new InvalidInputException("Invalid --set-lineage " + Names.quote(part) + ": give KEY=VALUE, "
                        + "e.g. run_id=run-42 (an empty VALUE clears the part)");
            }
            builder.lineage(LineageField.parse(part.substring(0, equals)), part.substring(equals + 1));
        }
        return builder.build();
    }

    private Integer updateVersion(CliContext context, ModelRegistry registry, ModelUpdate update) {
        ModelVersion before = registry.getModel(name, version);
        ModelVersion after = registry.updateModel(name, version, update);
        List<String> changed = new ArrayList<>();
        addIfChanged(changed, "description", before.description(), after.description());
        addIfChanged(changed, "tags", before.tags(), after.tags());
        for (LineageField field : LineageField.values()) {
            addIfChanged(changed, "lineage." + field.key(), field.of(before.lineage()), field.of(after.lineage()));
        }
        if (context.json()) {
            ObjectNode node = result(changed);
            node.set("version", after.toJson());
            context.printJson(node);
        } else {
            report(context, name + " " + version, changed);
        }
        return Cli.OK;
    }

    private Integer updateModel(CliContext context, ModelRegistry registry, ModelUpdate update) {
        ModelDocument before = registry.modelDocument(name);
        ModelDocument after = registry.updateModelDocument(name, update);
        List<String> changed = new ArrayList<>();
        addIfChanged(changed, "description", before.description(), after.description());
        addIfChanged(changed, "tags", before.tags(), after.tags());
        if (context.json()) {
            ObjectNode node = result(changed);
            node.set("model", after.toJson());
            context.printJson(node);
        } else {
            report(context, "the model " + name, changed);
        }
        return Cli.OK;
    }

    private static ObjectNode result(List<String> changed) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("changed", !changed.isEmpty());
        ArrayNode fields = node.putArray("fields");
        changed.forEach(fields::add);
        return node;
    }

    private static void report(CliContext context, String what, List<String> changed) {
        context.out().println(changed.isEmpty() ? "Nothing changed: " + what + " already has these values"
                : "Updated " + what + ": " + String.join(", ", changed));
        context.out().flush();
    }

    private static void addIfChanged(List<String> changed, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changed.add(field);
        }
    }
}
