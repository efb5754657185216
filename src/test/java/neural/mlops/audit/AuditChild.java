package neural.mlops.audit;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import neural.mlops.store.AtomicFiles;

/**
 * A second JVM for the multi-process and crash tests.
 * {@code append ROOT USER COUNT}: appends COUNT events and prints "done".
 * {@code crash ROOT N}: appends one event and halts (as SIGKILL would) just before the N-th
 * atomic rename of that append, that is, after its temporary file is on disk.
 */
public final class AuditChild {

    static final int HALT_STATUS = 137;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        AuditLogger audit = new AuditLogger(root, java.time.Clock.systemUTC(), Optional.empty());
        switch (args[0]) {
            case "append" -> {
                int count = Integer.parseInt(args[3]);
                for (int i = 0; i < count; i++) {
                    audit.logEvent(AuditRecord.of(EventType.MODEL_ACCESSED, args[2], "model", "fraud_detector:v" + i,
                            "read", Map.of("n", i)));
                }
                System.out.println("done");
            }
            case "crash" -> {
                int haltAt = Integer.parseInt(args[2]);
                AtomicInteger renames = new AtomicInteger();
                Field seam = AtomicFiles.class.getDeclaredField("beforeRename");
                seam.setAccessible(true);
                seam.set(null, (Runnable) () -> {
                    if (renames.incrementAndGet() == haltAt) {
                        Runtime.getRuntime().halt(HALT_STATUS);
                    }
                });
                audit.logEvent(AuditRecord.of(EventType.MODEL_ACCESSED, "crasher", "model", "fraud_detector:v9", "read", Map.of()));
                System.out.println("not halted");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
