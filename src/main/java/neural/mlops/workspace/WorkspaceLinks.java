package neural.mlops.workspace;

import neural.mlops.registry.LinkTemplates;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;

/**
 * The {@code links} of a workspace's {@code workspace.yaml} ({@link LinkTemplates}), read on
 * their own: {@code registry show} reads no policy (reading is not governed), and the GUI reads
 * them again on every refresh, since another process may have changed the file.
 */
final class WorkspaceLinks {

    private WorkspaceLinks() {
    }

    /** The templates of workspace.yaml at the root of {@code storage}; none without the file or the key. */
    static LinkTemplates read(Storage storage, String source) {
        return storage.read(Key.of(Workspace.SETTINGS), SafeYaml.MAX_BYTES)
                .map(document -> LinkTemplates.of(SafeYaml.loadMap(document.content(), source).get(LinkTemplates.KEY),
                        source))
                .orElse(LinkTemplates.NONE);
    }
}
