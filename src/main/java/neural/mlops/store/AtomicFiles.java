package neural.mlops.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Atomic writes (SPEC 2): the content goes to a temporary file in the target's folder, is flushed
 * to disk, and is renamed over the target; the folder is flushed too where the OS allows it. A
 * crash leaves the old document or the new one, never half of one. Leftover temporary files are
 * hidden from readers ({@link #isTemporary}) and removed by {@link #removeStaleTemporaries}.
 */
public final class AtomicFiles {

    static final String TEMP_SUFFIX = ".tmp";

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
        try (Pending pending = prepare(target, writer)) {
            pending.commit();
        }
    }

    /**
     * Writes the content to a flushed temporary file beside {@code target} and stops short of the
     * rename: {@link Pending#commit()} puts it in place, closing an uncommitted one discards it.
     * A change to several documents prepares them all first, where a full disk shows, and only
     * then renames, so that a failed write leaves every document as it was (see {@link Batch}).
     */
    public static Pending prepare(Path target, ContentWriter writer) {
        Path folder = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            createFolders(folder);
            temp = temporaryFor(target);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new ChannelOutput(channel)) {
                writer.writeTo(out);
                out.flush();
                beforeWrite.check(target);
                channel.force(true);
            }
            Pending pending = new Pending(temp, target);
            temp = null;
            return pending;
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
     * Copies a finished temporary file (written by the caller in the target's folder, for example a
     * streamed model artifact) over its target atomically.
     */
    public static void commit(Path temp, Path target) {
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                beforeWrite.check(target);
                channel.force(true);
            }
            beforeRename.run();
            moveAtomically(temp, target);
            syncFolder(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw StoreIOException.of("write", target, e);
        }
    }

    /** A fresh temporary path beside {@code target}: hidden, unique, and recognised by {@link #isTemporary}. */
    public static Path temporaryFor(Path target) {
        String name = "." + target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + TEMP_SUFFIX;
        return target.toAbsolutePath().getParent().resolve(name);
    }

    /** True for the temporary files of interrupted writes, which readers must skip. */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
    }

    /**
     * Deletes temporary files in {@code folder} not modified for {@code olderThan}; younger ones may
     * belong to a write in progress in another process. Returns how many were removed.
     */
    public static int removeStaleTemporaries(Path folder, Duration olderThan) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, AtomicFiles::isTemporary)) {
            for (Path entry : entries) {
                FileTime modified = Files.getLastModifiedTime(entry);
                if (modified.toInstant().isBefore(cutoff) && Files.deleteIfExists(entry)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            // Cleaning is best effort: a leftover temporary file is invisible to readers anyway.
        }
        return removed;
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

    /** A document written and flushed to its temporary file, waiting to be renamed over its target. */
    public static final class Pending implements AutoCloseable {
        private final Path temp;
        private final Path target;
        private boolean committed;

        private Pending(Path temp, Path target) {
            this.temp = temp;
            this.target = target;
        }

        public Path target() {
            return target;
        }

        /** Renames the temporary file over the target (atomically) and flushes the folder entry. */
        public void commit() {
            if (committed) {
                return;
            }
            try {
                beforeRename.run();
                moveAtomically(temp, target);
                committed = true;
                syncFolder(target.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw StoreIOException.of("write", target, e);
            }
        }

        /** Discards the temporary file unless it was committed. */
        @Override
        public void close() {
            if (!committed) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * Documents that change together (a promotion and the archiving it causes, an activation and
     * the deactivation of the one it replaces): every one is prepared before any is renamed, so a
     * full disk or an unwritable folder fails the batch with every target as it was. The renames
     * then run in the order the documents were added; a crash among them can still leave some
     * renamed, which is why callers add the one that must not be alone (the new production
     * version, the newly active deployment) last.
     *
     * <pre>{@code
     * try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
     *     batch.add(previous, previousBytes);
     *     batch.add(promoted, promotedBytes);
     *     batch.commit();
     * }
     * }</pre>
     */
    public static final class Batch implements AutoCloseable {
        private final List<Pending> pending = new ArrayList<>();

        private Batch() {
        }

        /** Prepares {@code content} for {@code target} now; throws, having changed no target, when it cannot. */
        public Batch add(Path target, byte[] content) {
            pending.add(prepare(target, out -> out.write(content)));
            return this;
        }

        /** Renames every prepared document over its target, in the order they were added. */
        public void commit() {
            for (Pending each : pending) {
                each.commit();
            }
        }

        /** Discards whatever was prepared and not committed. */
        @Override
        public void close() {
            pending.forEach(Pending::close);
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
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /** Reads a whole small file, refusing one larger than {@code maxBytes}. */
    public static byte[] readBounded(Path file, long maxBytes) {
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // A pipe would block the reader for ever, a device could be endless: neither is a document.
                throw new CorruptDocumentException(file, "it is not a regular file (a folder, a device or a pipe)");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new InvalidInputException(file + " is " + size + " bytes; at most " + maxBytes + " are read");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw new InvalidInputException(file + " grew past " + maxBytes + " bytes while being read");
                }
                return bytes;
            }
        } catch (IOException e) {
            throw StoreIOException.of("read", file, e);
        }
    }
}
