package neural.mlops.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import neural.mlops.audit.AuditKey;
import neural.mlops.audit.AuditLogger;

/**
 * A second process for {@link BenchRunner}: {@code AUDIT_ROOT USER THREADS EACH [WARMUP_ROOT]}
 * first appends to a scratch trail at WARMUP_ROOT when given (so that the timed appends run
 * compiled code, as a long-running process's would), prints "ready", waits for a line on stdin,
 * appends THREADS x EACH events durably to AUDIT_ROOT, and prints "done MILLIS".
 */
public final class AppendProbe {

    private AppendProbe() {
    }

    public static void main(String[] args) throws Exception {
        AuditLogger audit = new AuditLogger(Path.of(args[0]), Clock.systemUTC(), AuditKey.configured());
        String user = args[1];
        int threads = Integer.parseInt(args[2]);
        int each = Integer.parseInt(args[3]);
        if (args.length > 4) {
            AuditLogger scratch = new AuditLogger(Path.of(args[4]), Clock.systemUTC(), java.util.Optional.empty());
            for (int round = 0; round < 3; round++) {
                Appends.run(scratch, user, threads, each);
            }
        }
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        long elapsed = Appends.run(audit, user, threads, each);
        System.out.println("done " + elapsed / 1_000_000);
        System.out.flush();
    }
}
