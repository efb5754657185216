package neural.mlops.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The one way a document is read from a store or an input file (SPEC 2): only a regular file is
 * opened, and never more than a bound is read. A named pipe planted where a document belongs
 * would block its reader for ever and a device could be endless; a folder is no document. Every
 * reader (metadata, deployments, requests, audit events, head, index, summaries, digests,
 * workspace.yaml, config.yaml) goes through here, so none of them can be made to hang.
 */
public final class StoreFiles {

    /** The most one read or write asks of a channel: the size of the native buffer the JDK keeps per thread for it. */
    private static final int READ_SLICE = 1 << 20;

    private StoreFiles() {
    }

    /**
     * The whole content of {@code file}, following links (reading may follow them by design: a
     * store may span disks, docs/security.md). Throws {@link CorruptDocumentException} when it is
     * not a regular file, {@link InvalidInputException} when it is larger than {@code maxBytes},
     * and {@link StoreIOException} when it cannot be read (a missing file among them, with
     * {@link java.nio.file.NoSuchFileException} as the cause).
     */
    public static byte[] readRegular(Path file, long maxBytes) {
        return read(file, maxBytes);
    }

    /**
     * The same, without following a link at {@code file} itself: for the files a store keeps for
     * its own bookkeeping (the append hint), where a link can only have been planted.
     */
    public static byte[] readRegularNoFollow(Path file, long maxBytes) {
        return read(file, maxBytes, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Writes {@code length} bytes of {@code bytes} from {@code offset} to {@code channel}, in slices
     * of at most {@value #READ_SLICE} bytes: a channel writes a heap array through a temporary direct
     * buffer of the request's size, which the writing thread then keeps for its life.
     */
    public static void writeFully(WritableByteChannel channel, byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        for (int from = offset; from < end; ) {
            ByteBuffer slice = ByteBuffer.wrap(bytes, from, Math.min(end - from, READ_SLICE));
            while (slice.hasRemaining()) {
                from += channel.write(slice);
            }
        }
    }

    /** True when something, of any kind (a dangling link included), is at {@code path}. */
    public static boolean present(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Appends {@code bytes} to {@code file}, creating it when missing, never through a link at it
     * and never to anything but a regular file: opening a pipe to write blocks until a reader
     * comes. For derived files that are appended to (the trail's day index); documents of record
     * are written whole by {@link AtomicFiles}.
     */
    public static void appendRegular(Path file, byte[] bytes) {
        try {
            BasicFileAttributes looked = present(file)
                    ? Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS) : null;
            if (looked != null) {
                requireRegular(file, looked);
            }
            try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)) {
                BasicFileAttributes opened = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                requireRegular(file, opened);
                if (looked != null && !Objects.equals(looked.fileKey(), opened.fileKey())) {
                    throw new CorruptDocumentException(file, "it was replaced while being opened; try again");
                }
                writeFully(channel, bytes, 0, bytes.length);
            }
        } catch (IOException e) {
            throw StoreIOException.of("write", file, e);
        }
    }

    /**
     * The content of {@code file} as it was opened, with that file's attributes; {@code looked} is
     * what a stat of it just gave, links followed, and must be a regular file's. Empty when what
     * is at the path by the time it is opened is not the file that was looked at (replaced in
     * between: look again). The attributes are those of the file whose bytes were read, so a caller
     * can pair the content with its version without a second look after the read. Throws as
     * {@link #readRegular} does; a file removed in between is a {@link StoreIOException} with
     * {@link java.nio.file.NoSuchFileException} as its cause.
     */
    public static Optional<Read> readLooked(Path file, BasicFileAttributes looked, long maxBytes) {
        return readOpened(file, looked, maxBytes, new LinkOption[0]);
    }

    /** A file's content and the attributes of the file those bytes were read from ({@link #readLooked}). */
    public record Read(byte[] content, BasicFileAttributes attributes) {
    }

    private static byte[] read(Path file, long maxBytes, LinkOption... links) {
        BasicFileAttributes looked;
        try {
            looked = Files.readAttributes(file, BasicFileAttributes.class, links);
        } catch (IOException e) {
            throw StoreIOException.of("read", file, e);
        }
        return readOpened(file, looked, maxBytes, links)
                .orElseThrow(() -> new CorruptDocumentException(file, "it was replaced while being opened; try again"))
                .content();
    }

    /** {@link #readLooked}, following links at {@code file} or not as {@code links} say. */
    private static Optional<Read> readOpened(Path file, BasicFileAttributes looked, long maxBytes, LinkOption[] links) {
        if (maxBytes < 0 || maxBytes >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " is not a size that fits in memory");
        }
        requireRegular(file, looked);
        if (looked.size() > maxBytes) {
            throw new InvalidInputException(file + " is " + looked.size() + " bytes; at most " + maxBytes + " are read");
        }
        try {
            // Only a regular file is opened: opening a pipe blocks until a writer comes, before any check could run.
            try (SeekableByteChannel channel = open(file, links)) {
                // What was opened must be what was looked at: a swap in between (a pipe renamed in) is refused.
                BasicFileAttributes opened = Files.readAttributes(file, BasicFileAttributes.class, links);
                requireRegular(file, opened);
                if (!Objects.equals(looked.fileKey(), opened.fileKey())) {
                    return Optional.empty();
                }
                return Optional.of(new Read(readAtMost(file, channel, maxBytes, opened.size()), opened));
            }
        } catch (IOException e) {
            throw StoreIOException.of("read", file, e);
        }
    }

    private static SeekableByteChannel open(Path file, LinkOption... links) throws IOException {
        return links.length == 0 ? Files.newByteChannel(file, StandardOpenOption.READ)
                : Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    private static void requireRegular(Path file, BasicFileAttributes attributes) {
        if (!attributes.isRegularFile()) {
            String kind = attributes.isDirectory() ? "a folder" : attributes.isSymbolicLink() ? "a symbolic link"
                    : "a pipe, a device or a socket";
            throw new CorruptDocumentException(file, "it is not a regular file (" + kind + ")");
        }
    }

    /** At most {@code maxBytes} (and one more, to tell) of {@code channel}, whose file was {@code size} bytes when looked at. */
    private static byte[] readAtMost(Path file, SeekableByteChannel channel, long maxBytes, long size) throws IOException {
        // Sized to the file, since reading a trail allocates one such buffer per event (a fixed
        // 8 KB was 8 GB of garbage for a million events of 700 bytes), and returned as it is when
        // the file ends at that size: a byte read past it tells, so the usual read makes no copy.
        // A file that reports no size (some special files) starts with 8 KB.
        byte[] bytes = new byte[(int) Math.min(maxBytes + 1, size == 0 ? 8192 : size)];
        int length = 0;
        while (true) {
            if (length == bytes.length) {
                if (length > maxBytes) {
                    break;
                }
                ByteBuffer past = ByteBuffer.allocate(1);
                int more = channel.read(past);
                if (more < 0) {
                    return bytes; // ended where the buffer does
                }
                if (more == 0) {
                    continue;
                }
                bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes + 1, Math.max((long) length * 2, 8192)));
                bytes[length++] = past.get(0); // it grew, or reported no size: read on
                continue;
            }
            // In slices: a channel reads into a heap array through a temporary direct buffer of the
            // request's size, which the thread then keeps; one 50 MB request (the listing cache at
            // 100,000 versions) left 50 MB of native memory resident for the rest of the process.
            int read = channel.read(ByteBuffer.wrap(bytes, length, Math.min(bytes.length - length, READ_SLICE)));
            if (read < 0) {
                break;
            }
            length += read;
        }
        if (length > maxBytes) {
            throw new InvalidInputException(file + " grew past " + maxBytes + " bytes while being read");
        }
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
}
