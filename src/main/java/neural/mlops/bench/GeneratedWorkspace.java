package neural.mlops.bench;

import java.nio.file.Path;
import java.time.Duration;

/** What {@link WorkspaceGenerator} wrote, and the head of the audit chain it built. */
public record GeneratedWorkspace(Path folder, int models, int versions, int deployments, long events,
                                 long securityViolations, String headHash, Duration elapsed) {
}
