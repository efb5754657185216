package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.bench.GenerateOptions;
import neural.mlops.bench.WorkspaceGenerator;
import neural.mlops.demo.DemoWorkspace;
import neural.mlops.registry.Lineage;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.StageTransition;
import neural.mlops.store.IndentedJsonBytes;
import neural.mlops.store.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Output written as it is read (issue 23): a JSON array printed element by element is the same
 * bytes as the whole array printed at once, and tables keep their layout while holding no more
 * than a bounded number of rows.
 */
class StreamedOutputTest {

    final StringWriter out = new StringWriter();

    @Test
    void aStreamedJsonArrayIsByteForByteTheArrayPrintedWhole() {
        List<List<JsonNode>> samples = List.of(List.of(), List.of(event(1).toJson()), sampleElements());
        for (List<JsonNode> elements : samples) {
            ArrayNode whole = Json.mapper().createArrayNode();
            whole.addAll(elements);
            String printedWhole = printed(context -> context.printJson(whole));

            String streamed = printed(context -> {
                try (JsonArrayPrinter array = context.printJsonArray()) {
                    elements.forEach(array::write);
                    array.finish();
                }
            });

            assertThat(streamed).isEqualTo(printedWhole);
        }
    }

    /**
     * On the process's stdout ({@link Stdout}) the arrays and documents go to the bytes underneath
     * as UTF-8, not through the writer: the bytes must be those the writer gives, escapes, emoji
     * and all, and the text printed around them must stay in its place.
     */
    @Test
    void jsonWrittenAsBytesToStdoutIsWhatTheWriterGives() {
        List<JsonNode> elements = sampleElements();
        java.util.function.Consumer<CliContext> print = context -> {
            context.out().println("before");
            try (JsonArrayPrinter array = context.printJsonArray()) {
                elements.forEach(array::write);
                array.finish();
            }
            context.printJsonWith(generator -> {
                generator.writeStartObject();
                generator.writeStringField("text", elements.get(1).path("text").asText());
                generator.writeEndObject();
            });
            context.out().println("after");
        };
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Stdout stdout = new Stdout(bytes);
        print.accept(context(stdout));
        stdout.flush();

        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(printed(print))
                .contains("\\u202e", "\\u2028", "emoji \ud83d\ude00");
    }

    /**
     * {@code --json registry list} builds each version as bytes ({@link ModelVersion#writeIndentedJson})
     * and prints its tree only when a value needs Jackson's escapes: the bytes must stay those of
     * every document built as a tree and printed, as they were before, and the bytes must be what
     * most versions take (or this test would compare the tree with itself).
     */
    @Test
    void versionsBuiltAsBytesAreTheBytesOfTheirDocumentsPrintedAsTrees(@TempDir Path dir) {
        List<ModelVersion> versions = new ArrayList<>();
        versions.addAll(new ModelRegistry(DemoWorkspace.create(dir.resolve("demo"), line -> { })
                .resolve("models")).snapshot().versions());
        WorkspaceGenerator.generate(dir.resolve("bench"), GenerateOptions.of(12, 4, 0, 30), line -> { });
        versions.addAll(new ModelRegistry(dir.resolve("bench").resolve("models")).snapshot().versions());
        versions.addAll(oddVersions());
        assertThat(versions).hasSizeGreaterThan(60);

        String asTrees = printed(context -> {
            try (JsonArrayPrinter array = context.printJsonArray()) {
                versions.forEach(v -> array.write(v.toJson()));
                array.finish();
            }
        });
        List<String> asBytes = new ArrayList<>();
        String streamed = printed(context -> {
            IndentedJsonBytes element = new IndentedJsonBytes();
            try (JsonArrayPrinter array = context.printJsonArray()) {
                versions.forEach(v -> {
                    if (RegistryOutput.printVersionJson(array, element, v)) {
                        asBytes.add(v.name() + " " + v.version());
                    }
                });
                array.finish();
            }
        });

        assertThat(streamed).isEqualTo(asTrees);
        assertThat(streamed).contains("\\u202e", "\"NaN\"", "\"model_size_bytes\" : null", "\"lineage\"",
                "caf\u00e9 \ud83d\ude00 say \\\"hi\\\" c:\\\\temp", "\"nothing\" : { }", "\"none\" : [ ]");
        assertThat(asBytes).hasSize(versions.size() - 1).contains("plain_odd v2.0.0", "odd_model v0.1")
                .doesNotContain("odd_model v1.0.0");
    }

    /** The same bytes on the process's stdout, where the elements go to the stream as UTF-8. */
    @Test
    void versionsBuiltAsBytesGoToStdoutAsTheWriterGivesThem() {
        List<ModelVersion> versions = oddVersions();
        java.util.function.Consumer<CliContext> print = context -> {
            IndentedJsonBytes element = new IndentedJsonBytes();
            try (JsonArrayPrinter array = context.printJsonArray()) {
                versions.forEach(v -> RegistryOutput.printVersionJson(array, element, v));
                array.finish();
            }
        };
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Stdout stdout = new Stdout(bytes);
        print.accept(context(stdout));
        stdout.flush();

        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(printed(print))
                .contains("caf\u00e9 \ud83d\ude00");
    }

    @Test
    void aListingThatFailsHalfWayLeavesInvalidJsonRatherThanAShorterList() {
        assertThatThrownBy(() -> printed(context -> {
            try (JsonArrayPrinter array = context.printJsonArray()) {
                array.write(event(1).toJson());
                throw new IllegalStateException("the disk went away");
            }
        })).hasMessage("the disk went away");

        assertThat(out.toString()).startsWith("[").contains("\"evt_1\"").doesNotContain("]\n");
        assertThatThrownBy(() -> Json.mapper().readTree(out.toString())).isInstanceOf(Exception.class);
    }

    @Test
    void aSmallStreamedTableIsLaidOutAsATableSizedByAllItsRows() {
        List<String[]> rows = List.of(new String[] {"NAME", "VERSION", "NOTE"}, new String[] {"fraud_detector", "v1", "-"},
                new String[] {"a", "v1.10.0", "longer note"});
        StringWriter sized = new StringWriter();
        PrintWriter sizedOut = new PrintWriter(sized);
        TextTable.print(sizedOut, rows);
        sizedOut.flush();

        PrintWriter streamedOut = new PrintWriter(out);
        TextTable table = TextTable.streamed(streamedOut, rows.get(0), 20, 20, TextTable.UNBOUNDED);
        rows.subList(1, rows.size()).forEach(table::row);
        table.finish();

        String newline = System.lineSeparator();
        assertThat(out.toString()).isEqualTo(sized.toString()).isEqualTo(
                "NAME            VERSION  NOTE" + newline + "fraud_detector  v1       -" + newline
                        + "a               v1.10.0  longer note" + newline);
    }

    @Test
    void aLongStreamedTablePrintsBeforeItEndsAndStaysAligned() {
        PrintWriter printer = new PrintWriter(out);
        AuditCommand.EventTable table = new AuditCommand.EventTable(context(printer), 99_999);
        int events = TextTable.SIZING_ROWS * 3;
        List<Integer> printedSoFar = new ArrayList<>();
        for (int seq = events; seq > 0; seq--) {
            table.row(event(seq));
            printer.flush();
            printedSoFar.add(out.toString().length());
        }
        table.finish();

        // Nothing printed while the first rows size the columns, then every row as it comes: no more are held.
        assertThat(printedSoFar.subList(0, TextTable.SIZING_ROWS)).containsOnly(0);
        List<Integer> after = printedSoFar.subList(TextTable.SIZING_ROWS, events);
        for (int i = 1; i < after.size(); i++) {
            assertThat(after.get(i)).isGreaterThan(after.get(i - 1));
        }
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(events + 1);
        int outcomeColumn = lines.get(0).indexOf("OUTCOME");
        int userColumn = lines.get(0).indexOf("USER");
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line.indexOf("success")).as(line).isEqualTo(outcomeColumn);
            assertThat(line.indexOf("user-")).as(line).isEqualTo(userColumn);
        }
    }

    /** Elements with what the JSON writer treats specially: escapes, nesting, empty containers, numbers, nulls. */
    private static List<JsonNode> sampleElements() {
        List<JsonNode> elements = new ArrayList<>();
        elements.add(event(2).toJson());
        ObjectNode odd = Json.mapper().createObjectNode();
        odd.put("text", "tab\t quote\" back\\ esc\u001b del\u007f bidi\u202e ls\u2028 emoji \ud83d\ude00 e\u0301");
        odd.putArray("empty");
        odd.putObject("nothing");
        odd.putArray("nested").addArray().add(1).add(0.1).add(new BigDecimal("1E+3")).add(-0.0).addNull();
        odd.putNull("missing");
        odd.put("big", Long.MAX_VALUE);
        elements.add(odd);
        elements.add(Json.mapper().getNodeFactory().textNode("a bare string"));
        elements.add(Json.mapper().createArrayNode().add(true).add(false));
        return elements;
    }

    /** Versions with what the writer treats specially: absent values, non-finite metrics, nested config, escapes. */
    private static List<ModelVersion> oddVersions() {
        Instant at = Instant.parse("2024-01-15T12:00:00.123456Z");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("int", 1);
        config.put("long", 5_000_000_000L);
        config.put("big", new BigInteger("123456789012345678901234567890"));
        config.put("double", 0.1);
        config.put("negative zero", -0.0);
        config.put("whole", 1.0);
        config.put("large", 1e20);
        config.put("not a number", Double.NaN);
        config.put("infinite", Double.NEGATIVE_INFINITY);
        config.put("decimals", List.of(123.456, 1.25e-300, -2.5e-7, 100.0, 0.30000000000000004, Double.MIN_VALUE,
                Double.MAX_VALUE, -1e-5, 1234567.0));
        config.put("flag", false);
        config.put("nothing", null);
        config.put("list", List.of(1, "two", List.of(), Map.of()));
        config.put("nested", Map.of("k", Map.of("deeper", "v\u2028")));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.95);
        metrics.put("loss", Double.NaN);
        metrics.put("range", Double.POSITIVE_INFINITY);
        metrics.put("tiny", -1.25e-300);
        ModelVersion full = new ModelVersion("odd_model", "v1.0.0", ModelStage.PRODUCTION, "onnx", "erin", at,
                at.plusSeconds(5), "tab\t quote\" esc\u001b bidi\u202e emoji \ud83d\ude00\nsecond line", metrics,
                List.of("a", "b\u007f"), "model.onnx", Path.of("models", "odd_model", "v1.0.0", "model.onnx"), 42,
                "ab".repeat(32), config, List.of(
                        new StageTransition(null, ModelStage.DEVELOPMENT, at, "erin", "registered"),
                        new StageTransition(ModelStage.DEVELOPMENT, ModelStage.PRODUCTION, at.plusSeconds(5), null, "")),
                new Lineage("abc1234", null, "s3://data", "v0.9.0"));
        ModelVersion bare = new ModelVersion("odd_model", "v0.1", ModelStage.ARCHIVED, null, null, at, null, null,
                null, null, null, Path.of("models", "odd_model", "v0.1"), -1, null, null, null, null);
        // Nothing that needs Jackson's escapes, but everything else the bytes must get right.
        Map<String, Object> plainConfig = new LinkedHashMap<>(config);
        plainConfig.remove("not a number");
        plainConfig.remove("infinite");
        plainConfig.put("nested", Map.of("k", Map.of("deeper", "v")));
        plainConfig.put("nothing", Map.of());
        plainConfig.put("none", List.of());
        plainConfig.put("objects", List.of(Map.of("a", 1), Map.of(), List.of(Map.of("b", List.of(true)))));
        Map<String, Double> plainMetrics = new LinkedHashMap<>(metrics);
        plainMetrics.remove("loss");
        plainMetrics.remove("range");
        plainMetrics.put("missing", null);
        ModelVersion plain = new ModelVersion("plain_odd", "v2.0.0", ModelStage.STAGING, "pytorch", "zo\u00eb", at,
                at.plusSeconds(60), "caf\u00e9 \ud83d\ude00 say \"hi\" c:\\temp " + "\u00e9t\u00e9 ".repeat(300),
                plainMetrics, List.of("\u65e5\u672c", "x"), "model.pt", Path.of("models", "plain_odd", "v2.0.0", "model.pt"),
                0, "cd".repeat(32), plainConfig, List.of(
                        new StageTransition(null, ModelStage.DEVELOPMENT, at, "zo\u00eb", "registered"),
                        new StageTransition(ModelStage.DEVELOPMENT, ModelStage.STAGING, at.plusSeconds(30), "ci", "auto"),
                        new StageTransition(ModelStage.STAGING, ModelStage.STAGING, at.plusSeconds(60), null, null)),
                new Lineage(null, "run-1", null, null));
        ModelVersion empty = new ModelVersion("plain_odd", "v2.0.1", ModelStage.DEVELOPMENT, "", "", at, at, "",
                Map.of(), List.of(), "", Path.of("models", "plain_odd", "v2.0.1"), 0, "", Map.of(), List.of(), null);
        return List.of(full, bare, plain, empty);
    }

    private static AuditEvent event(long seq) {
        return new AuditEvent("evt_" + seq, seq, Instant.parse("2024-01-15T12:00:00Z").minusSeconds(seq), EventType.CONFIG_CHANGED,
                EventSeverity.INFO, "user-" + seq % 7, "model", "fraud_detector:v" + seq, "edit", Outcome.SUCCESS, null,
                Map.of("environment", "production", "ratio", 0.25), null, "host", null, null);
    }

    private String printed(java.util.function.Consumer<CliContext> print) {
        PrintWriter printer = new PrintWriter(out);
        out.getBuffer().setLength(0);
        print.accept(context(printer));
        printer.flush();
        return out.toString();
    }

    private static CliContext context(PrintWriter printer) {
        CommandLine line = new CommandLine(new RootCommand());
        line.setOut(printer);
        line.setErr(new PrintWriter(new StringWriter()));
        line.parseArgs("--json");
        return CliContext.of(line.getCommandSpec());
    }
}
