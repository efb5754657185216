package neural.mlops.audit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.TestStorages;

/**
 * The other process of {@link AuditTrailContract}'s two-process race: opens the same workspace
 * storage, its trail under {@code audit_logs}, waits for "go" on stdin so that both processes
 * start together, logs COUNT events as USER and prints "done".
 *
 * <p>Arguments: the storage ({@link TestStorages#arguments}), then USER and COUNT.
 */
public final class AuditTrailChild {

    static final String READY = "ready";
    static final String DONE = "done";

    private AuditTrailChild() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        int used = TestStorages.argumentCount(arguments);
        String user = arguments.get(used);
        int count = Integer.parseInt(arguments.get(used + 1));
        try (Storage workspace = TestStorages.open(arguments)) {
            AuditLogger audit = new AuditLogger(workspace.under("audit_logs"), Clock.systemUTC(), Optional.empty(),
                    OutputGuard.outside(List.of()));
            audit.head(); // the first request loads the SDK: not part of the race
            System.out.println(READY);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            for (int i = 0; i < count; i++) {
                audit.logEvent(AuditRecord.of(EventType.MODEL_ACCESSED, user, "model", "fraud_detector:v" + i, "read",
                        Map.of("n", i)));
            }
            System.out.println(DONE);
            System.out.flush();
        }
    }
}
