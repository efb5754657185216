package neural.mlops.registry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.TestStorages;

/**
 * A registration that is alive and under way for as long as the test wants, for
 * {@link RegistryStoreContract}: registers a version of a large file into a workspace's registry,
 * prints "uploading" once its first part is stored (or first chunk written), waits there for a
 * line on stdin as a slow connection would, then finishes and prints "done".
 *
 * <p>Arguments: the workspace storage ({@link TestStorages#arguments}), the model name, the version and the model file.
 */
public final class PausedRegistrationChild {

    static final String UPLOADING = "uploading";
    static final String DONE = "done";

    private PausedRegistrationChild() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        int used = TestStorages.argumentCount(arguments);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        AtomicBoolean paused = new AtomicBoolean();
        try (Storage workspace = TestStorages.open(arguments)) {
            ModelRegistry registry = new ModelRegistry(workspace.under("models"));
            registry.registerModel(RegisterRequest.builder(arguments.get(used), arguments.get(used + 1),
                    Path.of(arguments.get(used + 2))).framework("pytorch").build(), (done, total) -> {
                        if (paused.compareAndSet(false, true)) {
                            System.out.println(UPLOADING);
                            System.out.flush();
                            try {
                                stdin.readLine();
                            } catch (java.io.IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        return true;
                    });
        }
        System.out.println(DONE);
        System.out.flush();
    }
}
