package neural.mlops.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Atomic writes (SPEC 2): the content goes to a temporary file in the target's folder, is flushed
 * to disk, and is renamed over the target; the folder is flushed too where the OS allows it. A
 * crash leaves the old document or the new one, never half of one. Leftover temporary files are
 * hidden from readers ({@link #isTemporary}) and removed by {@link #removeStaleTemporaries}.
 */
public final class AtomicFiles {

    static final String TEMP_SUFFIX = ".tmp";

    /**
     * How old a temporary file must be before a later write to its folder removes it. A live
     * writer touches its file as it writes and renames it seconds after the last byte (at most a
     * lock wait of 15 s), so an hour-old one belongs to a writer that was killed.
     */
    public static final Duration STALE_AFTER = Duration.ofHours(1);

    /** Exactly the names {@link #temporaryFor} makes: a sweep never touches anyone else's ".x.tmp". */
    private static final java.util.regex.Pattern OUR_TEMPORARY = java.util.regex.Pattern.compile("\\..+\\.[0-9a-f]{8}\\.tmp");

    /** Folders already swept by this process: one directory read per folder, not one per write. */
    private static final Set<Path> SWEPT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Threads that wait on a {@link Batch}'s flushes; idle ones go away, none keeps the JVM alive. */
    private static final ExecutorService FLUSHERS = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), DaemonThreads.named("atomic-files-flush"), new ThreadPoolExecutor.CallerRunsPolicy());

    /** Test seam: runs after the temporary file is on disk and before the rename (crash tests). */
    static volatile Runnable beforeRename = () -> { };

    /**
     * Test seam: runs after the content went to the temporary file and before it is flushed, with
     * the target; throwing here is what a full disk or a failing device does to a write part-way.
     */
    static volatile WriteFault beforeWrite = target -> { };

    /** Test seam: told of every folder whose entries were flushed to disk. */
    static volatile java.util.function.Consumer<Path> folderSynced = folder -> { };

    private AtomicFiles() {
    }

    /** Writes {@code content} to {@code target} atomically, creating missing parent folders. */
    public static void write(Path target, byte[] content) {
        write(target, out -> out.write(content));
    }

    /** Streams content into {@code target} atomically; the writer's failure leaves the target as it was. */
    public static void write(Path target, ContentWriter writer) {
        Path folder = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            createFolders(folder);
            sweepOnce(folder);
            temp = temporaryFor(target);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new ChannelOutput(channel)) {
                writer.writeTo(out);
                out.flush();
                beforeWrite.check(target);
                channel.force(true);
            }
            beforeRename.run();
            moveAtomically(temp, target);
            temp = null;
            syncFolder(folder);
        } catch (IOException e) {
            throw StoreIOException.of("write", target, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** A new, empty batch of documents to write together. */
    public static Batch batch() {
        return new Batch();
    }

    /**
     * Writes a derived file (an index or cache that is rebuilt when lost or stale) atomically but
     * without flushing it: a crash of the process leaves the old file or the new one, a power cut
     * may leave either or neither, which its reader detects. Never for a document of record.
     */
    public static void writeUnflushed(Path target, byte[] content) {
        Path folder = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            sweepOnce(folder);
            temp = temporaryFor(target);
            Files.write(temp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            moveAtomically(temp, target);
            temp = null;
        } catch (IOException e) {
            throw StoreIOException.of("write", target, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Flushes the files in parallel; the pool's threads only wait on the disk. */
    public static void forceAll(List<FileChannel> channels) throws IOException {
        if (channels.isEmpty()) {
            return;
        }
        List<Future<?>> flushes = new ArrayList<>(channels.size());
        for (FileChannel channel : channels.subList(1, channels.size())) {
            flushes.add(FLUSHERS.submit(() -> {
                channel.force(true);
                return null;
            }));
        }
        IOException failure = null;
        try {
            channels.get(0).force(true);
        } catch (IOException e) {
            failure = e;
        }
        for (Future<?> flush : flushes) {
            try {
                flush.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = new IOException("interrupted while flushing to disk");
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Copies a finished temporary file (written by the caller in the target's folder, for example a
     * streamed model artifact) over its target atomically.
     */
    public static void commit(Path temp, Path target) {
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                beforeWrite.check(target);
                channel.force(true);
            }
            renameAndSync(temp, target);
        } catch (IOException e) {
            throw StoreIOException.of("write", target, e);
        }
    }

    /**
     * {@link #commit} of a temporary file its writer has dealt with: flushed already, content and
     * times together ({@code durable}: the rename, then the folder's flush), or a derived file left
     * unflushed ({@code Storage.writeDerived}: the rename alone, as {@link #writeUnflushed} does).
     */
    public static void commitWritten(Path temp, Path target, boolean durable) {
        try {
            beforeWrite.check(target);
            if (durable) {
                renameAndSync(temp, target);
            } else {
                beforeRename.run();
                moveAtomically(temp, target);
            }
        } catch (IOException e) {
            throw StoreIOException.of("write", target, e);
        }
    }

    /** The end of a commit: the rename over {@code target}, then the flush of its folder's entries. */
    private static void renameAndSync(Path temp, Path target) throws IOException {
        beforeRename.run();
        moveAtomically(temp, target);
        syncFolder(target.toAbsolutePath().getParent());
    }

    /** A fresh temporary path beside {@code target}: hidden, unique, and recognised by {@link #isTemporary}. */
    public static Path temporaryFor(Path target) {
        String name = "." + target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + TEMP_SUFFIX;
        return target.toAbsolutePath().getParent().resolve(name);
    }

    /** True for the temporary files of interrupted writes, which readers must skip. */
    public static boolean isTemporary(Path file) {
        return isTemporaryName(file.getFileName().toString());
    }

    /** {@link #isTemporary} of a file called {@code name}. */
    public static boolean isTemporaryName(String name) {
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
    }

    /**
     * Deletes the temporary files of killed writers in {@code folder}: names that
     * {@link #temporaryFor} makes, regular files (never through a link), not modified for
     * {@code olderThan}; younger ones may belong to a write in progress in another process.
     * Returns how many were removed.
     */
    public static int removeStaleTemporaries(Path folder, Duration olderThan) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder,
                entry -> OUR_TEMPORARY.matcher(entry.getFileName().toString()).matches())) {
            for (Path entry : entries) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(cutoff)
                            && Files.deleteIfExists(entry)) {
                        removed++;
                    }
                } catch (IOException gone) {
                    // Renamed or removed by its writer meanwhile, or not ours to remove: leave it.
                }
            }
        } catch (IOException e) {
            // Cleaning is best effort: a leftover temporary file is invisible to readers anyway.
        }
        return removed;
    }

    /**
     * Removes the stale temporaries ({@link #STALE_AFTER}) of {@code folder} the first time this
     * process writes there: what writers killed by SIGKILL left (an interrupted artifact copy can
     * be tens of MB) goes on the next write to that folder.
     */
    public static void sweepOnce(Path folder) {
        if (SWEPT.add(folder.toAbsolutePath().normalize())) {
            removeStaleTemporaries(folder, STALE_AFTER);
        }
    }

    private static void moveAtomically(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically", e);
        }
    }

    /**
     * Creates {@code folder} and its missing parents durably (see {@link #createFolders}), for a
     * store that writes into a new folder by other means than {@link #write} (a streamed artifact).
     */
    public static void createFoldersDurably(Path folder) {
        try {
            createFolders(folder.toAbsolutePath());
        } catch (IOException e) {
            throw StoreIOException.of("create", folder, e);
        }
    }

    /**
     * Creates {@code folder} and its missing parents, and flushes the parent of each one created:
     * a new folder's own entry (a new day of the audit trail, a new model) must survive a power
     * cut too, or the document flushed into it could vanish with it.
     */
    private static void createFolders(Path folder) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(p);
        }
        Files.createDirectories(folder);
        for (Path created : missing) {
            Path parent = created.getParent();
            if (parent != null) {
                syncFolder(parent);
            }
        }
    }

    /**
     * Flushes the folder holding {@code file}, so that a rename or delete done there by other means
     * (the storage seam's conditional commit and delete) survives a power cut.
     */
    public static void syncFolderOf(Path file) {
        syncFolder(file.toAbsolutePath().getParent());
    }

    /** Flushes the folder entry so the rename itself survives a power cut (a no-op where unsupported). */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
            folderSynced.accept(folder);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a folder as a channel; NTFS journals the rename itself.
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Left behind, it is hidden from readers and cleaned later.
            }
        }
    }

    /**
     * Documents written together, each atomically as {@link #write} does, sharing the waits. On
     * {@link #commit()} every document goes to its temporary file (new folders created durably),
     * all of them are flushed at once (ext4 folds concurrent flushes into one journal commit), and
     * only then are they renamed: a full disk or an unwritable folder fails the batch with every
     * target as it was. The renames run group by group in the order the groups were added, each
     * group's folders flushed before the next group is renamed, so a crash never leaves a later
     * group's document without an earlier group's. A crash inside a group can leave some of it
     * renamed, which is why callers make the document that must not be alone (the new production
     * version, the newly active deployment, the audit head) a later group of its own.
     *
     * <pre>{@code
     * try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
     *     batch.add(previous, previousBytes);   // a group of one: renamed and flushed first
     *     batch.add(promoted, promotedBytes);   // then this one
     *     batch.commit();
     * }
     * }</pre>
     */
    public static final class Batch implements AutoCloseable {
        private final List<List<Path>> targets = new ArrayList<>();
        private final List<List<byte[]>> contents = new ArrayList<>();

        private Batch() {
        }

        /** Adds a group of one document. */
        public Batch add(Path target, byte[] content) {
            return addGroup(List.of(target), List.of(content));
        }

        /** Adds a group of documents renamed together (their folders flushed once, after the last). */
        public Batch addGroup(List<Path> groupTargets, List<byte[]> groupContents) {
            if (groupTargets.size() != groupContents.size()) {
                throw new IllegalArgumentException(groupTargets.size() + " targets but " + groupContents.size() + " contents");
            }
            targets.add(List.copyOf(groupTargets));
            contents.add(List.copyOf(groupContents));
            return this;
        }

        /**
         * Writes and flushes every document, then renames them group by group. When it throws,
         * targets already renamed stay (only a failure among the renames leaves any) and the others
         * are as they were; no temporary file is left.
         */
        public void commit() {
            List<Path> temps = new ArrayList<>();
            int renamed = 0;
            Path current = null; // the document being written or renamed, for the message if that fails
            try {
                List<FileChannel> channels = new ArrayList<>();
                try {
                    Set<Path> ready = new HashSet<>();
                    for (int group = 0; group < targets.size(); group++) {
                        for (int i = 0; i < targets.get(group).size(); i++) {
                            Path target = targets.get(group).get(i);
                            current = target;
                            Path folder = target.toAbsolutePath().getParent();
                            if (ready.add(folder)) {
                                createFolders(folder);
                                sweepOnce(folder);
                            }
                            Path temp = temporaryFor(target);
                            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                            temps.add(temp);
                            channels.add(channel);
                            byte[] content = contents.get(group).get(i);
                            StoreFiles.writeFully(channel, content, 0, content.length);
                            beforeWrite.check(target);
                        }
                    }
                    forceAll(channels);
                } finally {
                    for (FileChannel channel : channels) {
                        channel.close();
                    }
                }
                for (List<Path> group : targets) {
                    Set<Path> folders = new LinkedHashSet<>();
                    for (Path target : group) {
                        current = target;
                        beforeRename.run();
                        moveAtomically(temps.get(renamed), target);
                        renamed++;
                        folders.add(target.toAbsolutePath().getParent());
                    }
                    folders.forEach(AtomicFiles::syncFolder);
                }
            } catch (IOException e) {
                throw StoreIOException.of("write", current == null ? Path.of("") : current, e);
            } finally {
                for (int i = renamed; i < temps.size(); i++) {
                    deleteQuietly(temps.get(i));
                }
                targets.clear();
                contents.clear();
            }
        }

        /** Forgets documents added and not committed; nothing of them was written. */
        @Override
        public void close() {
            targets.clear();
            contents.clear();
        }
    }

    /** What a test makes a write do part-way (see {@link #beforeWrite}). */
    @FunctionalInterface
    interface WriteFault {
        void check(Path target) throws IOException;
    }

    /** Writes content to an output stream; may fail with an I/O error or a cancellation. */
    @FunctionalInterface
    public interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** An unbuffered stream over a channel that we can force after writing. */
    private static final class ChannelOutput extends OutputStream {
        private final FileChannel channel;

        ChannelOutput(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            StoreFiles.writeFully(channel, bytes, offset, length);
        }
    }
}
