package neural.mlops.store;

import java.io.IOException;
import java.nio.file.Path;

/** A read or write of the store failed at the file-system level; the previous state is intact. */
public class StoreIOException extends MlopsException {

    private static final long serialVersionUID = 1L;

    public StoreIOException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "Could not write /ws/models/...: No space left on device". */
    public static StoreIOException of(String verb, Path path, IOException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        } else if (cause instanceof java.nio.file.NoSuchFileException) {
            reason = "no such file or folder";
        } else if (cause instanceof java.nio.file.FileAlreadyExistsException || cause instanceof java.nio.file.NotDirectoryException) {
            // Both carry only the path: say what is wrong with it.
            String inTheWay = ((java.nio.file.FileSystemException) cause).getFile();
            reason = (inTheWay == null ? "a file" : inTheWay) + " is a file where a folder must be; move it out of the way";
        }
        return new StoreIOException("Could not " + verb + " " + path + ": " + reason, cause);
    }
}
