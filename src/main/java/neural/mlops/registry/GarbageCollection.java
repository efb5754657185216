package neural.mlops.registry;

import java.util.List;

/**
 * What {@code ModelRegistry.collectGarbage} removed.
 *
 * @param uploadsAborted unfinished uploads of dead writers aborted (temporary files, multipart uploads)
 * @param foldersRemoved the version folders without a metadata document whose files were removed, as
 *                       {@code models/<name>/<version>}
 */
public record GarbageCollection(int uploadsAborted, List<String> foldersRemoved) {

    public GarbageCollection {
        foldersRemoved = List.copyOf(foldersRemoved);
    }
}
