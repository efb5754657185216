package neural.mlops.registry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.TestStorages;

/**
 * The other process of the registry's two-process race in {@link RegistryStoreContract}: opens
 * the same registry, waits for "go" on stdin so both start together, and promotes one version to
 * production.
 *
 * <p>Arguments: the storage ({@link TestStorages#arguments}), then the model name and version.
 */
public final class RegistryRaceChild {

    static final String READY = "ready";

    private RegistryRaceChild() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        int used = TestStorages.argumentCount(arguments);
        try (Storage storage = TestStorages.open(arguments)) {
            ModelRegistry registry = new ModelRegistry(storage);
            registry.listVersions(arguments.get(used)); // the first request loads the SDK: not part of the race
            System.out.println(READY);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            registry.promoteModel(arguments.get(used), arguments.get(used + 1), ModelStage.PRODUCTION,
                    "from process " + ProcessHandle.current().pid());
        }
    }
}
