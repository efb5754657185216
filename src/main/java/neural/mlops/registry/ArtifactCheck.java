package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import neural.mlops.store.Json;

/**
 * The result of {@code verifyArtifact}: the model file's hash recomputed and compared with the one
 * recorded at registration. {@code actualSha256} and {@code actualSizeBytes} are null / -1 when the
 * file is missing.
 */
public record ArtifactCheck(
        String name,
        String version,
        Path path,
        Status status,
        String expectedSha256,
        String actualSha256,
        long expectedSizeBytes,
        long actualSizeBytes) {

    public enum Status {
        /** The file is there and its hash is the recorded one. */
        INTACT,
        /** The file is there but its content changed. */
        MODIFIED,
        /** The file is gone. */
        MISSING,
        /**
         * The file is there, but the document records no hash to compare it with: the original Python
         * module never recorded one (SPEC 10). Passes, as the original's own check (the file exists) did.
         */
        UNRECORDED;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** True when the file is there and nothing says it changed: intact, or present with no hash recorded. */
    public boolean ok() {
        return status == Status.INTACT || status == Status.UNRECORDED;
    }

    /** One sentence for a person. */
    public String message() {
        String what = "The model file of " + name + " " + version + " (" + path + ")";
        return switch (status) {
            case INTACT -> what + " is intact: sha256 " + actualSha256;
            case MODIFIED -> what + " has changed since registration: sha256 " + actualSha256
                    + " instead of " + expectedSha256 + "; restore it or register a new version";
            case MISSING -> what + " is missing; restore it or delete the version";
            case UNRECORDED -> what + " is present; its metadata records no sha256 to compare with (written by "
                    + "the original module), sha256 now " + actualSha256;
        };
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("version", version);
        node.put("path", path.toString());
        node.put("status", status.value());
        node.put("ok", ok());
        node.put("expected_sha256", expectedSha256);
        node.put("actual_sha256", actualSha256);
        node.put("expected_size_bytes", expectedSizeBytes < 0 ? null : expectedSizeBytes);
        node.put("actual_size_bytes", actualSizeBytes < 0 ? null : actualSizeBytes);
        node.put("message", message());
        return node;
    }
}
