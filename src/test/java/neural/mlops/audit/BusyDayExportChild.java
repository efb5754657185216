package neural.mlops.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import neural.mlops.store.Json;
import neural.mlops.store.storage.LocalStorage;

/**
 * A JVM of its own, started with a small heap, that exports a trail as CSV: {@code ROOT OUTPUT
 * FROM_EVENTS}, reading a day of at least FROM_EVENTS events in pieces. Prints "exported N in B
 * bytes", or dies of the heap it was given.
 */
public final class BusyDayExportChild {

    private BusyDayExportChild() {
    }

    public static void main(String[] args) throws Exception {
        TrailLayout layout = new TrailLayout(new LocalStorage(Path.of(args[0])));
        Path output = Path.of(args[1]);
        DayInPieces.Settings pieces = new DayInPieces.Settings(Integer.parseInt(args[2]), DayInPieces.WINDOW_BYTES);
        ExportResult result = new Exporter(layout, new TrailIndex(layout), pieces).write(output, output, ExportFormat.CSV,
                AuditFilter.all(), Json.mapper().createObjectNode(), problem -> { });
        System.out.println("exported " + result.count() + " in " + Files.size(output) + " bytes");
    }
}
