package neural.mlops.store.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.StoreIOException;

/**
 * The lease of an upload into a folder ({@link LocalStorage#upload}): an empty file beside the
 * upload's temporary file, {@code .<name>.<8 hex>.lease.tmp} beside {@code .<name>.<8 hex>.tmp},
 * that the uploading process holds an OS file lock on until the upload is committed or abandoned.
 * The OS releases the lock the moment the process dies, however it dies (SIGKILL, a crash), so
 * another process that can take the lock knows the writer is gone and removes its temporary file
 * at once, and one that cannot leaves it alone, however old. The stores' lock files rely on the
 * same OS locks (SPEC 2), so this holds wherever they do. Both names are hidden from listings
 * ({@link AtomicFiles#isTemporary}).
 *
 * <p>The lease file is created and locked under a temporary name of its own and then renamed to
 * its lease name (a lock belongs to the file, not the name), so that a lease name is never seen
 * unlocked while its writer lives.
 */
final class FolderUploadLease {

    static final String SUFFIX = ".lease.tmp";
    private static final String TEMP_SUFFIX = ".tmp";

    /**
     * This process's leases. Its own cleaner never opens them: closing any channel on a file
     * releases every lock the process holds on it (POSIX), and would make a live lease look dead.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    /**
     * What a look at another process's lease found: its writer alive; gone, its temporary file
     * removed; gone after it had renamed its file into place (nothing left but the lease file,
     * now removed too); or the file system cannot say.
     */
    enum Holder { LIVE, GONE, FINISHED, UNKNOWN }

    private final Path file;
    private final FileChannel channel;

    private FolderUploadLease(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Takes the lease of the upload writing {@code temporary} (a name {@link AtomicFiles#temporaryFor} made). */
    static FolderUploadLease take(Path temporary) {
        Path file = leaseOf(temporary).toAbsolutePath().normalize();
        Path staged = AtomicFiles.temporaryFor(file);
        HELD.add(file);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            channel.lock();
            Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
            return new FolderUploadLease(file, channel);
        } catch (IOException e) {
            undo(channel, staged, file);
            throw StoreIOException.of("write", file, e);
        } catch (RuntimeException e) {
            undo(channel, staged, file);
            throw e;
        }
    }

    private static void undo(FileChannel channel, Path staged, Path file) {
        closeQuietly(channel);
        deleteQuietly(staged);
        HELD.remove(file);
    }

    /** Gives the lease up: its file goes first, then the lock with the channel. */
    void release() {
        try {
            deleteQuietly(file);
        } finally {
            closeQuietly(channel);
            HELD.remove(file);
        }
    }

    /** True for a lease file's name. */
    static boolean isLease(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(".") && name.endsWith(SUFFIX);
    }

    /** The temporary file whose upload the lease file {@code lease} is for. */
    static Path temporaryOf(Path lease) {
        String name = lease.getFileName().toString();
        return lease.resolveSibling(name.substring(0, name.length() - SUFFIX.length()) + TEMP_SUFFIX);
    }

    private static Path leaseOf(Path temporary) {
        String name = temporary.getFileName().toString();
        return temporary.resolveSibling(name.substring(0, name.length() - TEMP_SUFFIX.length()) + SUFFIX);
    }

    /**
     * Looks at the lease file {@code lease}: LIVE while a process holds it (this one included),
     * GONE (or FINISHED) when its writer died, in which case its temporary file and then the lease
     * file are removed before the lock is let go, and UNKNOWN when the file system cannot say.
     */
    static Holder removeIfGone(Path lease) {
        if (HELD.contains(lease.toAbsolutePath().normalize())) {
            return Holder.LIVE;
        }
        try (FileChannel channel = FileChannel.open(lease, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                return Holder.LIVE;
            }
            if (lock == null) {
                return Holder.LIVE;
            }
            boolean removed = Files.deleteIfExists(temporaryOf(lease));
            Files.deleteIfExists(lease);
            return removed ? Holder.GONE : Holder.FINISHED;
        } catch (IOException | UnsupportedOperationException e) {
            // A file system without byte-range locks (some network shares) cannot say whether the
            // writer lives: the caller then falls back to the temporary file's age.
            return Holder.UNKNOWN;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // The lock goes with the channel either way.
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left behind unlocked: the next cleaner of its folder removes it.
        }
    }
}
