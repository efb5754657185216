package neural.mlops.audit;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * What {@code audit archive} did: the archive written (its SHA-256), the days it holds (all before
 * {@code before}), their events and chained seqs, the checkpoint event recorded, and how many of
 * the trail's files were then deleted. {@code notDeleted} names what could not be deleted (the
 * archive and the checkpoint stand; running the archive again takes what is left).
 */
public record ArchiveResult(Path archive, String sha256, LocalDate before, List<LocalDate> days, long events,
                            long firstSeq, long lastSeq, String lastHash, AuditEvent checkpoint, long deletedFiles,
                            List<String> notDeleted) {

    public ArchiveResult {
        days = List.copyOf(days);
        notDeleted = List.copyOf(notDeleted);
    }
}
