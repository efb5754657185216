package neural.mlops.audit;

import java.nio.file.Path;

/**
 * One thing wrong with the audit trail: its kind, the first event affected ({@code seq}, 0 when
 * no event can be named), the file concerned (null when none exists), and what was found. A
 * problem with an action's SSH signature (issue 24) also names the event ({@code eventId}), the
 * user it claims to be by ({@code user}) and why it does not verify ({@code why}); null otherwise.
 */
public record IntegrityProblem(ProblemKind kind, long seq, Path file, String message, String eventId, String user,
                               String why) {

    /** A problem of the trail itself, not of one event's action signature. */
    public IntegrityProblem(ProblemKind kind, long seq, Path file, String message) {
        this(kind, seq, file, message, null, null, null);
    }

    @Override
    public String toString() {
        return kind + (seq > 0 ? " seq " + seq : "") + (file == null ? "" : " (" + file + ")") + ": " + message;
    }
}
