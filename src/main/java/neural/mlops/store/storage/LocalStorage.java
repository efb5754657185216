package neural.mlops.store.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.StoreFiles;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StoreLock;
import neural.mlops.store.StorePaths;

/**
 * A workspace in a local (or network-mounted) folder, as today: keys are relative paths, every
 * write is {@link AtomicFiles}' temp file, flush and rename, and nothing is written through a
 * symbolic link that leads outside the root ({@link StorePaths}).
 *
 * <p><b>Conditions.</b> A folder has no compare-and-swap, so it is emulated: the content is
 * written and flushed to its temporary file first, then, under one {@link StoreLock} per root
 * (threads and processes), the key's current version is compared with the condition and the file
 * renamed into place. The lock is held only for that comparison and rename.
 *
 * <p><b>Versions.</b> A key's version is its modification time (in microseconds) and size, read
 * without opening the file, so a listing gives versions for free. To make every write give a new
 * version, even of the same size within one clock tick, each write sets the new file's time to
 * after the old one's, under the lock; files written by other tools just have their own times.
 */
public final class LocalStorage implements Storage {

    private static final int CHUNK = 1024 * 1024;
    private static final int READ_ATTEMPTS = 8;
    private static final Key MARKER = Key.internal("change-marker");
    /** The names {@link AtomicFiles#temporaryFor} makes (as {@link AtomicFiles#removeStaleTemporaries} knows them). */
    private static final java.util.regex.Pattern OUR_TEMPORARY = java.util.regex.Pattern.compile("\\..+\\.[0-9a-f]{8}\\.tmp");
    /** The version listed for what {@link #isPlanted} finds: never the version of anything that can be written. */
    private static final Version PLANTED = new Version("not-a-regular-file");

    private final Path root;
    private final StoreLock lock;

    /** A storage on the folder {@code root}, which need not exist yet. */
    public LocalStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.lock = new StoreLock(this.root.resolve(Key.RESERVED).resolve("storage.lock"));
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public Optional<Document> read(Key key, long maxBytes) {
        Path file = pathOf(key);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            Optional<BasicFileAttributes> looked = attributes(file);
            if (looked.isEmpty()) {
                if (isPlanted(file)) {
                    StoreFiles.readRegular(file, maxBytes); // refuses it, saying what it is, without opening a pipe
                }
                return Optional.empty();
            }
            // The version is that of the file whose bytes were read (the one opened, checked to be
            // the one looked at): a rename over it before or after cannot pair other bytes with it.
            // Two looks and an open besides the read, where there were five looks: a year's verify
            // reads a million events.
            Optional<StoreFiles.Read> read;
            try {
                read = StoreFiles.readLooked(file, looked.get(), maxBytes);
            } catch (StoreIOException e) {
                if (e.getCause() instanceof NoSuchFileException) {
                    continue; // deleted or replaced between the look and the open: look again
                }
                throw e;
            }
            if (read.isPresent()) {
                return Optional.of(new Document(key, read.get().content(), versionOf(read.get().attributes())));
            }
            // Replaced between the look and the open: look again.
        }
        throw new StoreIOException("Could not read " + file + ": it kept changing while being read; try again", null);
    }

    @Override
    public Optional<StoredObject> stat(Key key) {
        Path file = pathOf(key);
        return attributes(file).map(attributes -> new StoredObject(key, attributes.size(), versionOf(attributes)));
    }

    @Override
    public Optional<InputStream> openStream(Key key, long offset) {
        Transfers.requireOffset(offset);
        Path file = pathOf(key);
        if (attributes(file).isEmpty()) {
            return Optional.empty();
        }
        try {
            if (offset > 0) {
                SeekableByteChannel channel = Files.newByteChannel(file);
                try {
                    channel.position(offset); // past the end, reads then end at once
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return Optional.of(Channels.newInputStream(channel));
            }
            return Optional.of(Files.newInputStream(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw StoreIOException.of("read", file, e);
        }
    }

    @Override
    public Version write(Key key, byte[] content, Condition condition) {
        return write(key, content, condition, true);
    }

    /** {@link #write} without a flush of the file or of its folder: a rename over the target. */
    @Override
    public Version writeDerived(Key key, byte[] content, Condition condition) {
        return write(key, content, condition, false);
    }

    private Version write(Key key, byte[] content, Condition condition, boolean flushed) {
        Path target = writable(key);
        boolean rootExisted = Files.isDirectory(root);
        Path temp = newTemporary(target);
        // A create's version follows no earlier time, and a conditional replace's follows the time of
        // the version it expects: stamped now, before the one flush of the content, committing either
        // takes a rename and no second flush (an audit event, head.json, a promoted document).
        FileTime follows = timeOf(condition);
        boolean stampFirst = flushed && (condition instanceof Condition.Absent || follows != null);
        try {
            FileTime stamped = null;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                StoreFiles.writeFully(channel, content, 0, content.length);
                if (stampFirst) {
                    stamped = nextStamp(temp, follows);
                }
                if (flushed) {
                    channel.force(true); // before the lock, so that the lock is never held across a flush of content
                }
            }
            Version written = commit(key, temp, target, condition, stamped, flushed);
            temp = null;
            return written;
        } catch (IOException e) {
            throw StoreIOException.of("write", target, e);
        } finally {
            abandon(temp, rootExisted);
        }
    }

    /**
     * Writes every content to its temporary file, stamped, and flushes them all in parallel; then,
     * under the lock, checks that no key exists and renames them in order, and flushes each folder
     * once: one flush of the disk's journal for the group where one by one took two per key.
     */
    @Override
    public List<Version> createEach(List<Key> keys, List<byte[]> contents) {
        if (keys.size() != contents.size() || keys.size() <= 1) {
            return Storage.super.createEach(keys, contents); // refuses the mismatch; a group of one is a create
        }
        boolean rootExisted = Files.isDirectory(root);
        List<Staged> staged = new ArrayList<>(keys.size());
        boolean committed = false;
        try {
            stage(keys, contents, staged);
            List<Version> created = renameAll(staged);
            committed = true;
            Set<Path> folders = new HashSet<>();
            for (Staged file : staged) {
                if (folders.add(file.target().getParent())) {
                    AtomicFiles.syncFolderOf(file.target());
                }
            }
            bumpMarker();
            return created;
        } finally {
            if (!committed) {
                staged.forEach(file -> abandon(file.temp(), rootExisted));
            }
        }
    }

    /** A createEach's file written to its temporary file, stamped and flushed, not yet renamed into place. */
    private record Staged(Key key, Path target, Path temp, long size, FileTime stamp) {
    }

    /** Writes each content to a temporary file beside its target, stamped, then flushes them all at once. */
    private void stage(List<Key> keys, List<byte[]> contents, List<Staged> staged) {
        List<FileChannel> channels = new ArrayList<>(keys.size());
        Path target = null;
        try {
            try {
                for (int i = 0; i < keys.size(); i++) {
                    target = writable(keys.get(i));
                    Path temp = newTemporary(target);
                    // Listed before it is written, so that a failure from here on leaves it to be removed.
                    staged.add(new Staged(keys.get(i), target, temp, contents.get(i).length, null));
                    FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    channels.add(channel);
                    StoreFiles.writeFully(channel, contents.get(i), 0, contents.get(i).length);
                    staged.set(i, new Staged(keys.get(i), target, temp, contents.get(i).length, nextStamp(temp, null)));
                }
                AtomicFiles.forceAll(channels);
            } finally {
                for (FileChannel channel : channels) {
                    channel.close();
                }
            }
        } catch (IOException e) {
            throw StoreIOException.of("write", target, e);
        }
    }

    /**
     * Under the lock: refuses the group when a key exists or is named twice (its second create
     * would find it), else renames the files in order. When a rename fails, those renamed before
     * it are removed again, so the group is all or nothing.
     */
    @SuppressWarnings("try") // the lock is held for the block and released by close(); the variable is never read
    private List<Version> renameAll(List<Staged> staged) {
        List<Version> created = new ArrayList<>(staged.size());
        try (StoreLock.Held held = lock.acquire()) {
            Set<Key> claimed = new HashSet<>();
            for (Staged file : staged) {
                if (!claimed.add(file.key())) {
                    throw new ConditionFailedException(file.key(), file.key() + " already exists");
                }
                check(file.key(), Condition.absent(), versionOf(file.target()));
            }
            for (Staged file : staged) {
                try {
                    AtomicFiles.commitWritten(file.temp(), file.target(), false);
                } catch (RuntimeException failed) {
                    removeCreated(staged.subList(0, created.size()), failed);
                    throw failed;
                }
                created.add(versionOf(file.size(), file.stamp()));
            }
        }
        return created;
    }

    /** Removes, newest first, the files a createEach renamed before one failed; one that stays is named in {@code failed}. */
    private static void removeCreated(List<Staged> renamed, RuntimeException failed) {
        for (int i = renamed.size() - 1; i >= 0; i--) {
            try {
                Files.delete(renamed.get(i).target());
            } catch (IOException stays) {
                failed.addSuppressed(StoreIOException.of("remove", renamed.get(i).target(), stays));
                return; // those before it stay too, so what stays is always a first part of the group
            }
        }
    }

    @Override
    public void requireWritable(Key key) {
        writable(key);
    }

    /**
     * Streams into a temporary file beside the target, under a {@link FolderUploadLease} that
     * tells other processes the copy is alive, and commits it as {@link #write} does.
     */
    @Override
    public Version upload(Key key, InputStream source, long sizeBytes, Condition condition, TransferListener listener) {
        Path target = writable(key);
        boolean rootExisted = Files.isDirectory(root);
        Path temp = newTemporary(target);
        FolderUploadLease lease = null;
        try {
            lease = FolderUploadLease.take(temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[CHUNK];
                long done = 0;
                int read;
                while ((read = source.readNBytes(buffer, 0, buffer.length)) > 0) {
                    out.write(buffer, 0, read);
                    done += read;
                    Transfers.goOn(key, listener, done, sizeBytes);
                }
                if (done == 0) {
                    Transfers.goOn(key, listener, 0, sizeBytes);
                }
                Transfers.requireExpectedSize(key, done, sizeBytes);
                out.flush();
                channel.force(true);
            }
            Version written = commit(key, temp, target, condition, null, true);
            temp = null;
            return written;
        } catch (IOException e) {
            throw StoreIOException.of("upload to", target, e);
        } finally {
            if (lease != null) {
                lease.release(); // first, so that abandoning can remove the folders left empty
            }
            abandon(temp, rootExisted);
        }
    }

    @Override
    @SuppressWarnings("try") // the lock is held for the block and released by close(); the variable is never read
    public boolean delete(Key key, Condition condition) {
        if (condition instanceof Condition.Absent) {
            throw new IllegalArgumentException("A delete cannot require the key to be absent");
        }
        Path target = writable(key);
        boolean deleted;
        try (StoreLock.Held held = lock.acquire()) {
            Optional<Version> current = versionOf(target);
            check(key, condition, current);
            if (current.isEmpty()) {
                return false;
            }
            deleted = Files.deleteIfExists(target);
            AtomicFiles.syncFolderOf(target);
            // A bucket has no folders: a folder left empty goes too, so both backends list and look alike.
            removeEmptyFolders(target.getParent());
        } catch (IOException e) {
            throw StoreIOException.of("delete", target, e);
        }
        bumpMarker();
        return deleted;
    }

    @Override
    public Stream<StoredObject> list(String folder) {
        String prefix = Key.folder(folder);
        Path start = prefix.isEmpty() ? root : root.resolve(prefix);
        Walk files = new Walk(start, prefix);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(files, Spliterator.NONNULL), false)
                .onClose(files::close)
                .filter(found -> !AtomicFiles.isTemporaryName(found.name()))
                .map(this::listed)
                .flatMap(Optional::stream);
    }

    @Override
    public Stream<StoredObject> listNamed(String folder, String namePrefix) {
        // Only the matching names are looked at: a stat each, not one per file of the folder.
        return entries(folder, entry -> entry.getFileName().toString().startsWith(namePrefix)
                && !AtomicFiles.isTemporary(entry)).stream().map(entry -> listed(entry, attributes(entry)))
                .flatMap(Optional::stream);
    }

    @Override
    public Stream<String> folders(String folder) {
        String prefix = Key.folder(folder);
        return entries(folder, entry -> Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                && Key.isFolderName(prefix, entry.getFileName().toString()))
                .stream().map(entry -> entry.getFileName().toString());
    }

    /**
     * The entries directly in {@code folder} that {@code wanted} accepts, from one read of it; none
     * when it does not exist. A file where the folder must be is said, as a listing says it, not
     * taken for an empty folder.
     */
    private List<Path> entries(String folder, Predicate<Path> wanted) {
        String prefix = Key.folder(folder);
        Path start = prefix.isEmpty() ? root : root.resolve(prefix);
        List<Path> accepted = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(start)) {
            for (Path entry : entries) {
                if (wanted.test(entry)) {
                    accepted.add(entry);
                }
            }
        } catch (NoSuchFileException nothingThere) {
            return List.of();
        } catch (IOException e) {
            throw StoreIOException.of("list", start, e);
        } catch (DirectoryIteratorException e) {
            throw StoreIOException.of("list", start, e.getCause());
        }
        return accepted;
    }

    /**
     * Removes what killed writers left in every folder under {@code folder}, then the folders that
     * this left empty: the temporary file of an upload whose {@link FolderUploadLease} no process
     * holds any more, at once, however young; and other temporary files of this product's names
     * (an earlier release's upload, a small write killed part-way) not modified for
     * {@code olderThan}. The temporary file of an upload whose lease is held is never removed.
     */
    @Override
    public int abortUnfinishedUploads(String folder, Duration olderThan) {
        String prefix = Key.folder(folder);
        Path start = prefix.isEmpty() ? root : root.resolve(prefix);
        Instant cutoff = Instant.now().minus(olderThan);
        Deque<Path> folders = new ArrayDeque<>();
        folders.add(start);
        int removed = 0;
        while (!folders.isEmpty()) {
            Path current = folders.poll();
            if (current.equals(root.resolve(Key.RESERVED))) {
                continue; // the storage's own files
            }
            List<Path> leases = new ArrayList<>();
            List<Path> temporaries = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(current)) {
                for (Path entry : entries) {
                    if (FolderUploadLease.isLease(entry)) {
                        leases.add(entry);
                    } else if (OUR_TEMPORARY.matcher(entry.getFileName().toString()).matches()) {
                        temporaries.add(entry);
                    } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                        folders.add(entry);
                    }
                }
            } catch (IOException gone) {
                continue; // removed meanwhile, or not a folder: nothing of ours to clean there
            }
            int here = 0;
            java.util.Set<Path> leased = new java.util.HashSet<>();
            for (Path lease : leases) {
                switch (FolderUploadLease.removeIfGone(lease)) {
                    case GONE -> here++;
                    case FINISHED -> {
                        // Killed after its rename: only the lease file was left, and it is gone now.
                    }
                    case LIVE -> leased.add(FolderUploadLease.temporaryOf(lease));
                    case UNKNOWN -> {
                        // No locks on this file system: its temporary file is judged by its age below.
                    }
                }
            }
            for (Path temporary : temporaries) {
                if (!leased.contains(temporary) && removeIfUntouchedSince(temporary, cutoff)) {
                    here++;
                }
            }
            if (here > 0) {
                removed += here;
                removeEmptyFolders(current);
            }
        }
        return removed;
    }

    /** Removes {@code temporary}, a regular file (never through a link), when not modified since {@code cutoff}. */
    private static boolean removeIfUntouchedSince(Path temporary, Instant cutoff) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(temporary, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(cutoff)
                    && Files.deleteIfExists(temporary);
        } catch (IOException gone) {
            return false; // renamed or removed by its writer meanwhile, or not ours to remove: left
        }
    }

    @Override
    public ChangeMarker changeMarker() {
        Path file = pathOf(MARKER);
        try {
            return new ChangeMarker(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return ChangeMarker.NEVER_WRITTEN;
        } catch (IOException e) {
            throw StoreIOException.of("read", file, e);
        }
    }

    @Override
    @SuppressWarnings("try") // the lock is held for the block and released by close(); the variable is never read
    public <T> T exclusively(Key lock, Duration wait, Supplier<T> body) {
        try (StoreLock.Held held = new StoreLock(root, pathOf(lock), wait).acquire()) {
            return body.get();
        }
    }

    /**
     * Nothing to probe: a folder's conditions are this class's own compare-and-rename under its
     * lock, which the storage contract tests; probing would write and flush scratch files into the
     * workspace at every opening.
     */
    @Override
    public void requireConditionalWrites() {
        // Always honoured.
    }

    @Override
    public Optional<Path> localFile(Key key) {
        return Optional.of(pathOf(key));
    }

    @Override
    public void close() {
        // Nothing is held between calls.
    }

    /** The entry for a walked file, or empty for folders, the storage's own files and names that are not keys. */
    private Optional<StoredObject> listed(Walked found) {
        // A plain file's attributes came with the walk: a listing of 100,000 documents stats each once.
        return listed(found.path(), found.key(),
                found.plainFile() != null ? Optional.of(found.plainFile()) : attributes(found.path()));
    }

    /** The entry for {@code path}, whose attributes (links followed) are {@code attributes}. */
    private Optional<StoredObject> listed(Path path, Optional<BasicFileAttributes> attributes) {
        return listed(path, root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/"), attributes);
    }

    /** The entry for {@code path}, the file at key {@code relative}, whose attributes (links followed) are {@code attributes}. */
    private Optional<StoredObject> listed(Path path, String relative, Optional<BasicFileAttributes> attributes) {
        boolean planted = attributes.isEmpty() && isPlanted(path);
        if (attributes.isEmpty() && !planted) {
            return Optional.empty(); // a folder, or removed since the walk saw it
        }
        if (relative.equals(Key.RESERVED) || relative.startsWith(Key.RESERVED + "/")) {
            return Optional.empty();
        }
        try {
            Key key = Key.of(relative);
            if (planted) {
                return Optional.of(new StoredObject(key, 0, PLANTED)); // listed so that its reader reports it
            }
            return Optional.of(new StoredObject(key, attributes.get().size(), versionOf(attributes.get())));
        } catch (InvalidInputException notAKey) {
            return Optional.empty(); // a file no store wrote (a name with a backslash): no key can reach it
        }
    }

    /**
     * Renames the finished temporary file over the target if the condition holds, under the lock,
     * with a modification time after the replaced file's so that the version changes. A file
     * {@code stamped} already (after the time {@code condition} expects, and flushed with it) is
     * renamed without a second flush: the condition holding is what makes its stamp follow the
     * current version's. Otherwise it is stamped here, and flushed again when {@code flushed}.
     */
    @SuppressWarnings("try") // the lock is held for the block and released by close(); the variable is never read
    private Version commit(Key key, Path temp, Path target, Condition condition, FileTime stamped, boolean flushed)
            throws IOException {
        Version written;
        try (StoreLock.Held held = lock.acquire()) {
            Optional<BasicFileAttributes> current = attributes(target);
            check(key, condition, current.map(LocalStorage::versionOf));
            FileTime stamp = stamped;
            if (stamp != null) {
                AtomicFiles.commitWritten(temp, target, true);
            } else {
                stamp = nextStamp(temp, current.map(BasicFileAttributes::lastModifiedTime).orElse(null));
                if (flushed) {
                    AtomicFiles.commit(temp, target);
                } else {
                    AtomicFiles.commitWritten(temp, target, false);
                }
            }
            written = versionOf(Files.size(target), stamp);
        }
        bumpMarker();
        return written;
    }

    /** Sets {@code temp}'s time to now, or just after {@code previous} when the clock has not moved past it. */
    private static FileTime nextStamp(Path temp, FileTime previous) throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (previous == null) {
            Files.setLastModifiedTime(temp, FileTime.from(now));
            return Files.getLastModifiedTime(temp);
        }
        long previousMicros = previous.to(TimeUnit.MICROSECONDS);
        // Some file systems keep milliseconds or seconds only: step until the stored time has moved.
        for (long step : new long[] {1, 1_000, 1_000_000, 2_000_000}) {
            long micros = Math.max(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000, previousMicros + step);
            Files.setLastModifiedTime(temp, FileTime.from(micros, TimeUnit.MICROSECONDS));
            FileTime stored = Files.getLastModifiedTime(temp);
            if (stored.to(TimeUnit.MICROSECONDS) > previousMicros) {
                return stored;
            }
        }
        throw new IOException("the file system does not keep modification times precisely enough to version "
                + temp.getFileName());
    }

    private static void check(Key key, Condition condition, Optional<Version> current) {
        if (condition instanceof Condition.Absent && current.isPresent()) {
            throw new ConditionFailedException(key, key + " already exists");
        }
        if (condition instanceof Condition.Matches matches && !current.equals(Optional.of(matches.version()))) {
            throw new ConditionFailedException(key, current.isEmpty()
                    ? key + " was removed since it was read; read it again"
                    : key + " was changed by another writer since it was read; read it again");
        }
    }

    /**
     * Gives the marker a new token. It is derived (a lost one only delays a refresh), so nothing is
     * flushed, and a token is always as long as the last: it is overwritten in place, where a rename
     * over it cost a journal operation of its own on every write. A reader that catches it half
     * written sees a token that differs, which is all a marker says. Anything but a plain file
     * there (a link, a pipe) is replaced by a rename instead, never written through.
     */
    private void bumpMarker() {
        Path file = pathOf(MARKER);
        byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                StoreFiles.writeFully(channel, token, 0, token.length);
                channel.truncate(token.length);
                return;
            } catch (IOException replacedMeanwhile) {
                // Renamed over below.
            }
        }
        AtomicFiles.writeUnflushed(file, token);
    }



    /** The path of a key for reading. */
    private Path pathOf(Key key) {
        Path path = root;
        for (String segment : key.segments()) {
            path = path.resolve(segment);
        }
        return path;
    }

    /** The path of a key for writing: never through a link that leads outside the root. */
    private Path writable(Key key) {
        return StorePaths.forWrite(root, key.segments().toArray(String[]::new));
    }

    private static Path newTemporary(Path target) {
        AtomicFiles.sweepOnce(target.getParent()); // what writers killed in this folder left: the next write removes it
        for (int attempt = 1; ; attempt++) {
            AtomicFiles.createFoldersDurably(target.getParent());
            Path temp = AtomicFiles.temporaryFor(target);
            try {
                Files.createFile(temp);
                return temp;
            } catch (NoSuchFileException removed) {
                // A delete removed the folder, empty, between its creation and this file: create it again.
                if (attempt == READ_ATTEMPTS) {
                    throw StoreIOException.of("write", target, removed);
                }
            } catch (IOException e) {
                throw StoreIOException.of("write", target, e);
            }
        }
    }

    /**
     * Removes a failed write's temporary file and the folders left empty, which the write may have
     * created: the root too when the write created it, so that a failed first write leaves no trace.
     */
    private void abandon(Path temp, boolean rootExisted) {
        if (temp != null) {
            deleteQuietly(temp);
            removeEmptyFolders(temp.getParent());
            if (!rootExisted) {
                try {
                    Files.deleteIfExists(root);
                } catch (IOException notEmpty) {
                    // Another writer has put something there meanwhile: it stays.
                }
            }
        }
    }

    /** Removes {@code folder} and then each parent while they are empty, never the root or anything outside it. */
    private void removeEmptyFolders(Path folder) {
        for (Path current = folder; current != null && current.startsWith(root) && !current.equals(root);
             current = current.getParent()) {
            try {
                if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                    return; // a link to a folder is the user's, whatever it leads to
                }
                Files.delete(current);
            } catch (IOException notEmptyOrGone) {
                return; // holds something (or is not ours to remove): so do its parents
            }
        }
    }

    /**
     * True for something at {@code path} that is neither a regular file nor a folder: a pipe, a
     * device, a socket, a dangling link. No store wrote it; it is listed, and reading it is refused
     * with what it is (SPEC 2: an unreadable document is reported, and a pipe is never waited on).
     */
    private static boolean isPlanted(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path) && !Files.isRegularFile(path);
    }

    private static Optional<BasicFileAttributes> attributes(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile() ? Optional.of(attributes) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (underAFile(file)) {
                return Optional.empty(); // a file where a folder of the key would be: no such key (a write says why)
            }
            throw StoreIOException.of("read", file, e);
        }
    }

    /** True when a folder on the way to {@code file} is a file, so that nothing can be there. */
    private static boolean underAFile(Path file) {
        for (Path parent = file.getParent(); parent != null; parent = parent.getParent()) {
            if (Files.isRegularFile(parent, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Version> versionOf(Path file) {
        return attributes(file).map(LocalStorage::versionOf);
    }

    private static Version versionOf(BasicFileAttributes attributes) {
        return versionOf(attributes.size(), attributes.lastModifiedTime());
    }

    private static Version versionOf(long size, FileTime modified) {
        return new Version(Long.toHexString(modified.to(TimeUnit.MICROSECONDS)) + "-" + Long.toHexString(size));
    }

    /** The modification time of the version {@code condition} expects; null for another condition, or a token not of this storage. */
    private static FileTime timeOf(Condition condition) {
        if (!(condition instanceof Condition.Matches matches)) {
            return null;
        }
        String token = matches.version().token();
        int dash = token.indexOf('-');
        try {
            return dash <= 0 ? null : FileTime.from(Long.parseLong(token.substring(0, dash), 16), TimeUnit.MICROSECONDS);
        } catch (NumberFormatException notOurs) {
            return null;
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // A leftover temporary file is never listed and is removed by AtomicFiles.removeStaleTemporaries.
        }
    }

    /**
     * A file the walk found: its name, its key (the names from the storage's root, joined by
     * {@code /}), and its attributes when it is a plain file (not a link, not a folder).
     */
    private record Walked(Path path, String name, String key, BasicFileAttributes plainFile) {
    }

    /** A folder the walk is to read, and the key its files' keys start with ({@code ""} at the root, else ending in {@code /}). */
    private record Folder(Path path, String key) {
    }

    /**
     * The files under a folder at any depth, folder by folder, reading each folder's entries as
     * they are asked for: a caller that stops at the first file (is there any event in this day?)
     * reads one entry, not the whole folder, and the trail is never in memory. The folder being
     * read is held open until it is done or the walk is closed. Folders removed while the walk is
     * under way are skipped rather than failing it (another process deleting a model version);
     * links to folders are not followed. Each entry is stat-ed once, without following links.
     */
    private static final class Walk implements Iterator<Walked>, Closeable {
        private final Deque<Folder> folders = new ArrayDeque<>();
        private final Path start;
        private Folder reading;
        private DirectoryStream<Path> open;
        private Iterator<Path> entries;
        private Walked next;

        /** A walk of {@code start}, the folder at key prefix {@code key}. */
        Walk(Path start, String key) {
            this.start = start;
            folders.add(new Folder(start, key));
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (entries == null && !openNextFolder()) {
                    return false;
                }
                if (entries == null) {
                    continue;
                }
                try {
                    if (!entries.hasNext()) {
                        closeFolder();
                        continue;
                    }
                    Path entry = entries.next();
                    String name = entry.getFileName().toString();
                    String key = reading.key() + name;
                    BasicFileAttributes itself = ownAttributes(entry);
                    if (itself != null && itself.isDirectory()) {
                        folders.add(new Folder(entry, key + "/"));
                    } else {
                        // Links and anything else are stat-ed again, following links, as a single key is.
                        next = new Walked(entry, name, key, itself != null && itself.isRegularFile() ? itself : null);
                    }
                } catch (DirectoryIteratorException e) {
                    Path failed = reading.path();
                    closeFolder();
                    throw StoreIOException.of("list", failed, e.getCause());
                }
            }
            return true;
        }

        /** Opens the next folder to read; false when none is left. A folder gone since it was seen is skipped. */
        private boolean openNextFolder() {
            if (folders.isEmpty()) {
                return false;
            }
            Folder polled = folders.poll();
            Path folder = polled.path();
            try {
                open = Files.newDirectoryStream(folder);
                entries = open.iterator();
                reading = polled;
            } catch (NotDirectoryException e) {
                if (folder.equals(start)) {
                    // A file where the folder to list must be (a store's folder): said, not taken for an empty store.
                    throw StoreIOException.of("list", folder, e);
                }
                // Replaced by a file since it was seen: nothing of it to list.
            } catch (NoSuchFileException gone) {
                // Removed since it was seen, or never created: nothing of it to list.
            } catch (IOException e) {
                throw StoreIOException.of("list", folder, e);
            }
            return true;
        }

        @Override
        public Walked next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Walked file = next;
            next = null;
            return file;
        }

        /** The entry's own attributes (a link's, not its target's); null when it is gone or cannot be stat-ed. */
        private static BasicFileAttributes ownAttributes(Path entry) {
            try {
                return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException goneOrUnreadable) {
                return null; // listed as a file: its stat, following links, says what it is
            }
        }

        /** Ends the walk for its caller: the folder being read is released, no other is opened. */
        @Override
        public void close() {
            folders.clear();
            closeFolder();
        }

        private void closeFolder() {
            if (open != null) {
                try {
                    open.close();
                } catch (IOException ignored) {
                    // Only a read handle: nothing written is at stake.
                }
            }
            open = null;
            entries = null;
            reading = null;
        }
    }
}
