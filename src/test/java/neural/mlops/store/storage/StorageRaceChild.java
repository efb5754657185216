package neural.mlops.store.storage;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The other process of the two-process race in {@link StorageContract}: opens the same location,
 * waits for "go" on stdin so both start together, tries to create every claim key with its own
 * name, and prints "won N" for each key it created.
 *
 * <p>Arguments: writer-name, then {@code local <folder>} or {@code s3 <endpoint> <bucket> <prefix>}, then the key count.
 */
public final class StorageRaceChild {

    static final String READY = "ready";
    static final String DONE = "done";

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
}
