package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import neural.mlops.store.AtomicFiles;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on a local folder. */
class LocalStorageContractTest extends StorageContract {

    @TempDir
    Path workspace;

    @Override
    protected Storage openStorage() {
        return new LocalStorage(workspace);
    }

    @Override
    protected List<String> childArguments() {
        return List.of("local", workspace.toString());
    }

    @Override
    protected void startUnfinishedUpload(Key key) {
        Path target = workspace.resolve(key.value());
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(AtomicFiles.temporaryFor(target), "the first megabytes of a model");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected void startUploadOfADeadWriter(Key key) {
        Path target = workspace.resolve(key.value());
        startUnfinishedUpload(key);
        try (Stream<Path> files = Files.list(target.getParent())) {
            Path temporary = files.filter(AtomicFiles::isTemporary).findFirst().orElseThrow();
            String name = temporary.getFileName().toString();
            // Its lease file, which no process holds a lock on any more.
            Files.createFile(temporary.resolveSibling(name.substring(0, name.length() - ".tmp".length())
                    + FolderUploadLease.SUFFIX));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected AutoCloseable startUploadOfALiveWriter(Key key) {
        Path target = workspace.resolve(key.value());
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.writeString(AtomicFiles.temporaryFor(target), "a copy under way");
            FolderUploadLease lease = FolderUploadLease.take(temporary);
            return lease::release;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected void assertNoUnfinishedUploads() {
        try (Stream<Path> files = Files.walk(workspace)) {
            assertThat(files.filter(AtomicFiles::isTemporary)).as("temporary files left in %s", workspace).isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
