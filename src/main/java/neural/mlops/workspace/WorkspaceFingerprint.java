package neural.mlops.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import neural.mlops.store.storage.Storage;

/**
 * A cheap summary of what another process may have changed in a workspace, for live refresh:
 * the storage's change marker, which every write of this product moves (one HEAD on S3, one small
 * read on a folder); and, for a folder, the times of the store folders too, because tools that do
 * not move the marker (an earlier release, the Python original, a file copy) write there as well.
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

    /** The fingerprint of the workspace at {@code location}, whose storage is {@code storage}. */
    public static WorkspaceFingerprint of(Storage storage, WorkspaceLocation location) {
        List<String> parts = new ArrayList<>();
        parts.add("marker@" + storage.changeMarker().token());
        if (location instanceof WorkspaceLocation.Folder folder) {
            parts.addAll(of(folder.path()).parts());
        }
        return new WorkspaceFingerprint(List.copyOf(parts));
    }

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
