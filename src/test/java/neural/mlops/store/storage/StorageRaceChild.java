package neural.mlops.store.storage;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The other process of the two-process race in {@link StorageContract}: opens the same location,
 * waits for "go" on stdin so both start together, tries to create every claim key with its own
 * name, and prints "won N" for each key it created; or, for a writer named {@code count-...}, increments
 * a counter inside critical sections.
 *
 * <p>Arguments: writer-name, then {@code local <folder>} or {@code s3 <endpoint> <bucket> <prefix>}, then the key count.
 */
public final class StorageRaceChild {

    static final String READY = "ready";
    static final String DONE = "done";
    /** Writers named so increment {@link #COUNTER_KEY} instead, with unconditional writes inside critical sections. */
    static final String COUNTER = "count-";
    static final String COUNTER_KEY = "deployments/counter";

    private StorageRaceChild() {
    }

    public static void main(String[] args) throws Exception {
        String writer = args[0];
        Storage storage = switch (args[1]) {
            case "local" -> new LocalStorage(Path.of(args[2]));
            case "s3" -> new S3Storage(S3MockServer.client(URI.create(args[2])),
                    new S3Location(args[3], args[4]));
            default -> throw new IllegalArgumentException("Unknown backend " + args[1]);
        };
        int keys = Integer.parseInt(args[args.length - 1]);
        try (storage) {
            storage.stat(Key.of("warm-up")); // the first request loads the SDK: not part of the race
            System.out.println(READY);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (writer.startsWith(COUNTER)) {
                count(storage, keys);
                System.out.println(DONE);
                System.out.flush();
                return;
            }
            for (int i = 0; i < keys; i++) {
                try {
                    storage.create(Key.of("audit_logs/claims/" + i), writer.getBytes(StandardCharsets.UTF_8));
                    System.out.println("won " + i);
                } catch (ConditionFailedException lost) {
                    // The other process claimed it first.
                }
            }
            System.out.println(DONE);
            System.out.flush();
        }
    }

    /**
     * Increments the counter {@code times}, each a read and an unconditional write inside the
     * store's critical section: only mutual exclusion of the sections keeps every increment.
     */
    private static void count(Storage storage, int times) {
        Key counter = Key.of(COUNTER_KEY);
        for (int i = 0; i < times; i++) {
            storage.exclusively(Key.of("deployments/.lock"), () -> {
                int value = Integer.parseInt(new String(storage.read(counter, 100).orElseThrow().content(),
                        StandardCharsets.UTF_8));
                return storage.write(counter, Integer.toString(value + 1).getBytes(StandardCharsets.UTF_8),
                        Condition.none());
            });
        }
    }
}
