package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.store.Json;
import org.junit.jupiter.api.Test;
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
