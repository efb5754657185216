package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What the CLI prints of values it did not choose (events of an old trail, documents other tools
 * wrote): no raw control character, line separator or invisible format character reaches the
 * terminal; each shows as an escape, so the reader sees that it is there.
 */
class TerminalTest {

    static final String HOSTILE_USER = "mallory\u202egnp.exe";
    static final String HOSTILE_RESOURCE = "fraud\u001b[2J\u001b[31mdetector";
    static final String HOSTILE_ACTION = "promote\u2028FORGED\u2029line\u0085x\u200b";

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @Test
    void anAuditQueryTableShowsEscapesAndKeepsOneLinePerEvent() {
        AuditCommand.EventTable table = new AuditCommand.EventTable(context(false), 7);
        table.row(event());
        table.finish();

        String printed = out.toString();
        assertThat(printed.split("\\R")).hasSize(2);
        assertNothingRaw(printed);
        assertThat(printed).contains("mallory\\u202egnp.exe", "fraud\\u001b[2J\\u001b[31mdetector", "promote\\u2028FORGED");
    }

    @Test
    void messagesOnStderrAreEscapedToo() {
        context(false).message("Warning: skipped " + HOSTILE_RESOURCE + HOSTILE_ACTION);

        assertNothingRaw(err.toString());
        assertThat(err.toString().split("\\R")).hasSize(1);
    }

    @Test
    void jsonOutputEscapesThemAndStaysTheSameJsonValue() throws Exception {
        context(true).printJson(event().toJson());

        String printed = out.toString();
        assertNothingRaw(printed);
        var parsed = neural.mlops.store.Json.mapper().readTree(printed);
        assertThat(parsed.get("user").asText()).isEqualTo(HOSTILE_USER);
        assertThat(parsed.get("resource_id").asText()).isEqualTo(HOSTILE_RESOURCE);
        assertThat(parsed.get("action").asText()).isEqualTo(HOSTILE_ACTION);
    }

    @Test
    void printableTextOfAnyScriptIsPrintedAsItIs() {
        assertThat(Terminal.text("Jos\u00e9 \u674e\u56db \ud83d\ude00")).isEqualTo("Jos\u00e9 \u674e\u56db \ud83d\ude00");
        assertThat(Terminal.text(null)).isEqualTo("-");
        assertThat(Terminal.text("\u001b".repeat(10), 20)).isEqualTo("\\u001b\\u001b\\u001...");
    }

    static void assertNothingRaw(String printed) {
        String withoutLineEnds = printed.replace(System.lineSeparator(), "");
        assertThat(withoutLineEnds.codePoints().filter(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.LINE_SEPARATOR
                || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
                || Character.getType(cp) == Character.FORMAT)).as(printed).isEmpty();
    }

    private CliContext context(boolean json) {
        RootCommand root = new RootCommand();
        CommandLine line = new CommandLine(root);
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        if (json) {
            line.parseArgs("--json");
        }
        return CliContext.of(line.getCommandSpec());
    }

    private static AuditEvent event() {
        return new AuditEvent("evt_1", 1, Instant.parse("2024-01-15T12:00:00Z"), EventType.CONFIG_CHANGED,
                EventSeverity.INFO, HOSTILE_USER, "model", HOSTILE_RESOURCE, HOSTILE_ACTION, Outcome.SUCCESS, null,
                Map.of(), null, "host", null, null);
    }
}
