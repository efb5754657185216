package neural.mlops.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import neural.mlops.audit.AuditKey;
import neural.mlops.audit.AuditLogger;

/**
 * A second process for {@link BenchRunner}: {@code AUDIT_ROOT USER THREADS EACH} prints "ready",
 * waits for a line on stdin, appends THREADS x EACH events durably, and prints "done MILLIS".
 */
public final class AppendProbe {

    private AppendProbe() {
    }

    public static void main(String[] args) throws Exception {
        AuditLogger audit = new AuditLogger(Path.of(args[0]), Clock.systemUTC(), AuditKey.configured());
        String user = args[1];
        int threads = Integer.parseInt(args[2]);
        int each = Integer.parseInt(args[3]);
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        long elapsed = Appends.run(audit, user, threads, each);
        System.out.println("done " + elapsed / 1_000_000);
        System.out.flush();
    }
}
