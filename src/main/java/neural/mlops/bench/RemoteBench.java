package neural.mlops.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditRecords;
import neural.mlops.registry.ModelQuery;
import neural.mlops.registry.ModelSummary;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.storage.Traffic;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceLocation;

/**
 * {@code bench run s3://...}: where the network dominates, the cost of an operation is its
 * requests (SPEC 9, #16 item 5). Each operation is run once cold and then {@code runs} times warm
 * on one opened workspace, and reported with its median time and, per run, the requests by S3
 * operation and the bytes moved. It changes the workspace as {@link BenchRunner} does: audit events
 * by the user {@value #USER} and a compliance report.
 */
public final class RemoteBench {

    static final String USER = "bench";

    /**
     * One operation's cost.
     *
     * @param operation what was done
     * @param coldMillis the first run's time
     * @param medianMillis the median of the warm runs
     * @param traffic one warm run's requests and bytes (the last)
     * @param coldTraffic the first run's
     */
    public record Row(String operation, double coldMillis, double medianMillis, Traffic traffic, Traffic coldTraffic) {
    }

    private RemoteBench() {
    }

    /** Runs the operations on {@code location} and returns one row each. */
    public static List<Row> run(WorkspaceLocation location, int runs, Consumer<String> progress) {
        if (!location.isRemote()) {
            throw new InvalidInputException("bench run counts requests on a remote workspace (s3://...); "
                    + location + " is a folder: run bench run on it without --requests");
        }
        List<Row> rows = new ArrayList<>();
        try (Workspace workspace = Workspace.open(location, USER)) {
            List<ModelSummary> models = workspace.registry().listModels();
            if (models.isEmpty()) {
                throw new InvalidInputException(location + " has no models to measure; generate a workspace with bench "
                        + "generate and copy it to the bucket (aws s3 sync), or register some first");
            }
            String first = models.get(0).name();
            Instant now = Instant.now();
            progress.accept("Measuring " + location + " (" + models.size() + " models)");
            rows.add(measure(workspace, "registry list (every model)", runs,
                    () -> workspace.registry().listModels().size()));
            rows.add(measure(workspace, "registry search (a name fragment)", runs,
                    () -> workspace.registry().search(ModelQuery.all().withText(first.substring(0, Math.min(3, first.length()))))
                            .size()));
            rows.add(measure(workspace, "registry show (one version)", runs,
                    () -> workspace.registry().listVersions(first).size()));
            rows.add(measure(workspace, "audit query (last 30 days)", runs,
                    () -> workspace.audit().queryEvents(AuditFilter.all().withPeriod(now.minus(Duration.ofDays(30)), now)).size()));
            rows.add(measure(workspace, "audit log (one event)", runs, () -> {
                workspace.audit().logEvent(AuditRecords.configChanged(USER, "bench", "remote-bench", false));
                return 1;
            }));
            rows.add(measure(workspace, "audit verify (whole trail)", Math.min(runs, 2),
                    () -> workspace.audit().verifyIntegrity().problems().size()));
        }
        return rows;
    }

    /** The rows as a table: time, requests by operation and bytes per run. */
    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder(String.format("%-36s %10s %10s %9s %11s %11s  %s%n", "operation", "cold ms",
                "median ms", "requests", "bytes sent", "bytes recv", "requests by S3 operation (one warm run)"));
        for (Row row : rows) {
            out.append(String.format("%-36s %10.1f %10.1f %9d %11d %11d  %s%n", row.operation(), row.coldMillis(),
                    row.medianMillis(), row.traffic().totalRequests(), row.traffic().bytesSent(),
                    row.traffic().bytesReceived(), row.traffic().requests()));
        }
        return out.toString();
    }

    private static Row measure(Workspace workspace, String operation, int runs, Supplier<Integer> action) {
        Traffic before = workspace.traffic();
        long start = System.nanoTime();
        action.get();
        double cold = (System.nanoTime() - start) / 1e6;
        Traffic coldTraffic = workspace.traffic().since(before);
        double[] warm = new double[Math.max(1, runs)];
        Traffic last = Traffic.NONE;
        for (int i = 0; i < warm.length; i++) {
            Traffic runBefore = workspace.traffic();
            long runStart = System.nanoTime();
            action.get();
            warm[i] = (System.nanoTime() - runStart) / 1e6;
            last = workspace.traffic().since(runBefore);
        }
        java.util.Arrays.sort(warm);
        return new Row(operation, cold, warm[warm.length / 2], last, coldTraffic);
    }
}
