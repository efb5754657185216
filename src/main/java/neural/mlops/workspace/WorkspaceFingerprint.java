package neural.mlops.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A cheap summary of what another process may have changed in a workspace, for live refresh.
 * Every store write ends with an atomic rename into its folder, which updates that folder's
 * modification time, so the folders' times (plus the audit head and workspace.yaml) change
 * whenever a document does, without listing thousands of files.
 *
 * @param parts one entry per watched path: its modification time and size, or absent
 */
public record WorkspaceFingerprint(List<String> parts) {

    /** The paths, relative to the workspace, whose change means "reload". */
    static final List<String> WATCHED = List.of(
            "workspace.yaml",
            "models/metadata",
            "deployments",
            "audit_logs/head.json");

    public static WorkspaceFingerprint of(Path workspace) {
        List<String> parts = new ArrayList<>(WATCHED.size());
        for (String relative : WATCHED) {
            Path path = workspace.resolve(relative);
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                parts.add(relative + "@" + attributes.lastModifiedTime().toMillis() + ":" + attributes.size());
            } catch (IOException e) {
                parts.add(relative + "@absent");
            }
        }
        return new WorkspaceFingerprint(List.copyOf(parts));
    }
}
