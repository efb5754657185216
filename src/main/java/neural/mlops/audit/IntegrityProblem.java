package neural.mlops.audit;

import java.nio.file.Path;

/**
 * One thing wrong with the audit trail: its kind, the first event affected ({@code seq}, 0 when
 * no event can be named), the file concerned (null when none exists), and what was found.
 */
public record IntegrityProblem(ProblemKind kind, long seq, Path file, String message) {

    @Override
    public String toString() {
        return kind + (seq > 0 ? " seq " + seq : "") + (file == null ? "" : " (" + file + ")") + ": " + message;
    }
}
