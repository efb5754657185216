package neural.mlops.store.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Mock as a process of its own, for scripts that need a workspace in a bucket (scripts/screenshots.sh
 * shows the desktop on one): {@code S3MockForScripts ROOT FOLDER PREFIX} starts the server with its
 * data under ROOT, copies every file of FOLDER (a workspace) to {@code s3://workspace/PREFIX/} at its
 * relative path, as {@code aws s3 sync} would, prints {@code endpoint URL} on a line of its own, and
 * serves until it is killed. The product reaches it through AWS_ENDPOINT_URL_S3 and test credentials
 * (any are accepted), as in {@link S3MockServer#environment()}.
 */
public final class S3MockForScripts {

    private S3MockForScripts() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: S3MockForScripts ROOT WORKSPACE_FOLDER PREFIX");
            System.exit(2);
        }
        Path root = Files.createDirectories(Path.of(args[0]));
        Path folder = Path.of(args[1]);
        String prefix = args[2].endsWith("/") ? args[2] : args[2] + "/";
        S3MockServer server = S3MockServer.start(root);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3mock-stop"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        try (S3Client client = server.newClient()) {
            for (Path file : files) {
                String key = prefix + folder.relativize(file).toString().replace('\\', '/');
                client.putObject(put -> put.bucket(S3MockServer.BUCKET).key(key), RequestBody.fromFile(file));
            }
        }
        System.out.println("endpoint " + server.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }
}
