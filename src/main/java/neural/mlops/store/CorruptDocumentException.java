package neural.mlops.store;

import java.nio.file.Path;

/** A document on disk cannot be parsed or lacks required fields. It is reported and left untouched. */
public class CorruptDocumentException extends MlopsException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public CorruptDocumentException(Path path, String problem) {
        super(path + " is not a valid document: " + problem);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
