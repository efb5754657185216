package neural.mlops.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.StoreIOException;

/**
 * Streams a model file into a temporary file beside its final place, hashing it on the way, so
 * that committing it is one atomic rename and a cancelled or failed copy leaves nothing behind.
 */
final class ArtifactCopy {

    static final int CHUNK = 1024 * 1024;

    private ArtifactCopy() {
    }

    /** A finished copy waiting to be committed over {@code target}. */
    record Copied(Path temp, Path target, long sizeBytes, String sha256) {
    }

    static Copied copy(Path source, Path target, CopyListener listener, String what) {
        AtomicFiles.sweepOnce(target.toAbsolutePath().getParent()); // a killed copy's file, tens of MB
        Path temp = AtomicFiles.temporaryFor(target);
        boolean done = false;
        try (InputStream in = Files.newInputStream(source);
             OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long total = Files.size(source);
            MessageDigest digest = sha256();
            byte[] buffer = new byte[CHUNK];
            long copied = 0;
            int read;
            while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                out.write(buffer, 0, read);
                digest.update(buffer, 0, read);
                copied += read;
                checkGoOn(listener, copied, Math.max(total, copied), what);
            }
            if (copied == 0) {
                checkGoOn(listener, 0, 0, what);
            }
            done = true;
            return new Copied(temp, target, copied, HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw StoreIOException.of("copy the model file " + source + " to", target, e);
        } finally {
            if (!done) {
                deleteQuietly(temp);
            }
        }
    }

    /** The SHA-256 and size of a file, read in chunks. */
    static Copied hash(Path file) throws IOException {
        MessageDigest digest = sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[CHUNK];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
                size += read;
            }
        }
        return new Copied(null, file, size, HexFormat.of().formatHex(digest.digest()));
    }

    static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temporary file is hidden from readers and removed by the next registration.
        }
    }

    private static void checkGoOn(CopyListener listener, long done, long total, String what) {
        if (Thread.currentThread().isInterrupted()) {
            throw new RegistrationCancelledException("Registration of " + what + " was interrupted; nothing was registered");
        }
        if (!listener.onProgress(done, total)) {
            throw new RegistrationCancelledException("Registration of " + what + " was cancelled; nothing was registered");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
