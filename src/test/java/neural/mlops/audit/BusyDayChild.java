package neural.mlops.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.storage.LocalStorage;

/**
 * A JVM of its own, started with a small heap, that reads the events of 1 March 2024 (the busy
 * day of {@link BusyDayMemoryTest}), reading a day of at least FROM_EVENTS events in pieces:
 * {@code export ROOT OUTPUT FROM_EVENTS} exports them as CSV and prints "exported N"; {@code query
 * ROOT FROM_EVENTS} queries them, newest first, counting them as they come, and prints "queried N";
 * {@code report ROOT FROM_EVENTS} makes their compliance report and prints "reported N" ({@code
 * report-from-eight}: of the day from 08:00 on, and "reported N, V violations"); {@code
 * verify ROOT FROM_EVENTS} verifies the whole trail from its files and prints "verified N, intact
 * true". Each dies of the heap it was given when that is too small.
 */
public final class BusyDayChild {

    private BusyDayChild() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        int fromEvents = Integer.parseInt(args[args.length - 1]);
        AuditLogger audit = new AuditLogger(new LocalStorage(root), Clock.systemUTC(), Optional.empty(),
                OutputGuard.outside(List.of(root)), ZoneId.systemDefault(),
                new DayInPieces.Settings(fromEvents, DayInPieces.WINDOW_BYTES));
        AuditFilter busyDay = AuditFilter.all().withPeriod(Instant.parse("2024-03-01T00:00:00Z"),
                Instant.parse("2024-03-01T23:59:59.999Z"));
        if (args[0].equals("export")) {
            Path output = Path.of(args[2]);
            ExportResult result = audit.exportAuditTrail(output, ExportFormat.CSV, busyDay, "auditor");
            System.out.println("exported " + result.count() + " in " + Files.size(output) + " bytes");
        } else if (args[0].equals("verify")) {
            IntegrityReport report = audit.verifyIntegrity();
            System.out.println("verified " + report.eventsChecked() + ", intact " + report.intact());
        } else if (args[0].equals("report")) {
            ComplianceReport report = audit.generateComplianceReport(busyDay.since(), busyDay.until(), "auditor");
            System.out.println("reported " + report.totalEvents());
        } else if (args[0].equals("report-from-eight")) {
            ComplianceReport report = audit.generateComplianceReport(Instant.parse("2024-03-01T08:00:00Z"),
                    busyDay.until(), "auditor");
            System.out.println("reported " + report.totalEvents() + ", " + report.securityViolations().size()
                    + " violations");
        } else {
            AtomicLong count = new AtomicLong();
            audit.query(busyDay, 0, event -> count.incrementAndGet());
            System.out.println("queried " + count.get());
        }
    }
}
