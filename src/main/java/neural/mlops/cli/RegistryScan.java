package neural.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import neural.mlops.registry.ArtifactRecord;
import neural.mlops.registry.ArtifactScan;
import neural.mlops.store.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code registry scan --all}: scans every version's model file again and stores the new
 * {@code artifact} block where it changed (docs/artifacts.md), printing one row per version. Exits 1
 * when some file could not be scanned or its block stored; the others are scanned all the same.
 */
@Command(name = "scan",
        description = "Scan every version's model file again; store the verdicts that changed (new scanner, new verdict).")
final class RegistryScan extends CliCommand {

    @Mixin
    RegistryCommand.HelpOption help;

    @Option(names = "--all", required = true, description = "Every version of every model (required: a scan "
            + "of one version is registry inspect N V --update).")
    boolean all;

    @Override
    public Integer call() {
        CliContext context = context();
        List<ArtifactScan> rows = RegistryCommand.openRegistry(context).scanArtifacts();
        long failed = rows.stream().filter(row -> row.outcome() == ArtifactScan.Outcome.FAILED).count();
        long updated = rows.stream().filter(row -> row.outcome() == ArtifactScan.Outcome.UPDATED).count();
        if (context.json()) {
            ObjectNode json = Json.mapper().createObjectNode();
            ArrayNode versions = json.putArray("versions");
            rows.forEach(row -> versions.add(row.toJson()));
            json.put("updated", updated);
            json.put("failed", failed);
            context.printJson(json);
        } else {
            print(context, rows, updated, failed);
        }
        for (ArtifactScan row : rows) {
            if (row.outcome() == ArtifactScan.Outcome.FAILED) {
                context.message("neural-mlops: " + row.name() + " " + row.version() + ": " + Cli.oneLine(row.problem()));
            }
        }
        return failed > 0 ? Cli.FAILED : Cli.OK;
    }

    private static void print(CliContext context, List<ArtifactScan> rows, long updated, long failed) {
        var out = context.out();
        if (rows.isEmpty()) {
            out.println("No versions registered; nothing to scan.");
            out.flush();
            return;
        }
        String format = "%-24s %-12s %-22s %-22s %s%n";
        out.printf(format, "NAME", "VERSION", "BEFORE", "AFTER", "OUTCOME");
        for (ArtifactScan row : rows) {
            out.printf(format, Terminal.text(row.name()), Terminal.text(row.version()), cell(row.before()),
                    cell(row.after()), row.outcome().value());
        }
        out.println(rows.size() + " versions scanned, " + updated + " updated, " + failed + " failed");
        out.flush();
    }

    private static String cell(Optional<ArtifactRecord> record) {
        return record.map(r -> Terminal.text(r.verdict().text() + " (" + r.format() + ", v" + r.scannerVersion() + ")"))
                .orElse("-");
    }
}
