package neural.mlops.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;

/** An event as read from disk: its file, the document exactly as stored, and its parsed form. */
record StoredEvent(Path file, ObjectNode raw, AuditEvent event) {

    /** Chain order within a day: by timestamp, then seq (timestamps are kept monotonic by the writer). */
    static final Comparator<StoredEvent> OLDEST_FIRST = Comparator
            .comparing((StoredEvent stored) -> stored.event().timestamp())
            .thenComparingLong(stored -> stored.event().seq())
            .thenComparing(stored -> stored.file().getFileName().toString());

    /**
     * The readable events of one day, oldest first. A file that cannot be read as an event is
     * passed to {@code unreadable} as {@link ProblemKind#MALFORMED} and skipped, never fatal.
     */
    static List<StoredEvent> readDay(TrailLayout layout, LocalDate day, Consumer<IntegrityProblem> unreadable) {
        List<StoredEvent> events = new ArrayList<>();
        for (Path file : layout.eventFiles(day)) {
            try {
                ObjectNode raw = Json.readObject(file);
                events.add(new StoredEvent(file, raw, EventJson.fromJson(raw)));
            } catch (CorruptDocumentException | InvalidInputException | EventJson.MalformedEvent e) {
                String why = e instanceof CorruptDocumentException corrupt && corrupt.getMessage().startsWith(file.toString())
                        ? corrupt.getMessage().substring(file.toString().length()).replaceFirst("^ is ", "")
                        : e.getMessage();
                unreadable.accept(new IntegrityProblem(ProblemKind.MALFORMED, TrailLayout.seqFromName(file), file,
                        "not a readable audit event: " + why));
            }
        }
        events.sort(OLDEST_FIRST);
        return events;
    }
}
