package neural.mlops.bench;

import java.util.List;
import java.util.Locale;

/** The benchmark's results: one row per operation, and notes on the machine and the workspace. */
public record BenchReport(List<BenchRow> rows, List<String> notes) {

    public BenchReport {
        rows = List.copyOf(rows);
        notes = List.copyOf(notes);
    }

    /** True when every row with a target meets it. */
    public boolean allTargetsMet() {
        return rows.stream().allMatch(row -> row.met() == null || row.met());
    }

    /** The table as Markdown, as docs/performance.md shows it. */
    public String table() {
        StringBuilder text = new StringBuilder();
        text.append("| operation | median | floor | vs floor | SPEC 7 target | met |\n");
        text.append("|---|---:|---:|---:|---|---|\n");
        for (BenchRow row : rows) {
            text.append("| ").append(row.operation())
                    .append(" | ").append(Double.isNaN(row.median()) ? "failed" : amount(row.median(), row.unit()))
                    .append(" | ").append(Double.isNaN(row.floor()) ? "-" : amount(row.floor(), row.unit()))
                    .append(" | ").append(Double.isNaN(row.ratio()) ? "-" : String.format(Locale.ROOT, "%.2fx", row.ratio()))
                    .append(" | ").append(row.target().isEmpty() ? "-" : row.target())
                    .append(" | ").append(row.met() == null ? "-" : row.met() ? "yes" : "**no**")
                    .append(" |\n");
        }
        text.append('\n');
        for (BenchRow row : rows) {
            text.append("- ").append(row.operation()).append(": ").append(row.detail()).append('\n');
        }
        for (String note : notes) {
            text.append("- ").append(note).append('\n');
        }
        return text.toString();
    }

    static String amount(double value, String unit) {
        if (unit.equals("ms")) {
            return value >= 1000 ? String.format(Locale.ROOT, "%.2f s", value / 1000)
                    : String.format(Locale.ROOT, value >= 100 ? "%.0f ms" : "%.1f ms", value);
        }
        if (unit.equals(BenchRunner.PER_EVENT)) {
            return String.format(Locale.ROOT, "%.1f %s", value, unit);
        }
        return String.format(Locale.ROOT, "%.0f %s", value, unit);
    }
}
