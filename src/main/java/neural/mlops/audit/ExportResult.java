package neural.mlops.audit;

import java.nio.file.Path;

/** What an export wrote: where, in which format, how many events, how many bytes, and the file's SHA-256. */
public record ExportResult(Path path, ExportFormat format, long count, long bytes, String sha256) {
}
