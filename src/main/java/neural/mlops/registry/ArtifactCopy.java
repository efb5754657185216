package neural.mlops.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import neural.mlops.store.ConflictException;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.ConditionFailedException;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.TransferCancelledException;
import neural.mlops.store.storage.Version;

/**
 * Streams a model file into the registry's storage ({@link Storage#upload}: a temporary file and a
 * rename on a folder, a multipart upload in a bucket), hashing it on the way, create-only, so
 * that a cancelled or failed copy leaves nothing at its key and never overwrites another's file.
 */
final class ArtifactCopy {

    static final int CHUNK = 1024 * 1024;

    private ArtifactCopy() {
    }

    /** A model file as stored: where, the version its upload gave it, and what was copied. */
    record Copied(Key key, Version version, long sizeBytes, String sha256) {
    }

    /** A file's size and SHA-256. */
    record Hashed(long sizeBytes, String sha256) {
    }

    /**
     * Uploads {@code source} to {@code key}, reporting progress to {@code listener} (which may cancel:
     * {@link RegistrationCancelledException}). Another file already at {@code key} (another
     * registration of the same version under way) is a {@link ConflictException}.
     */
    static Copied upload(Storage storage, Key key, Path source, CopyListener listener, String what) {
        MessageDigest digest = sha256();
        AtomicBoolean cancelled = new AtomicBoolean();
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest)) {
            long size = Files.size(source);
            Version version = storage.upload(key, in, size, Condition.absent(), (done, total) -> {
                boolean goOn = listener.onProgress(done, Math.max(size, done));
                cancelled.set(!goOn);
                return goOn;
            });
            return new Copied(key, version, size, HexFormat.of().formatHex(digest.digest()));
        } catch (TransferCancelledException e) {
            throw new RegistrationCancelledException("Registration of " + what + " was "
                    + (cancelled.get() ? "cancelled" : "interrupted") + "; nothing was registered", e);
        } catch (ConditionFailedException e) {
            throw new ConflictException("Cannot register " + what + ": another registration of it is under way (its "
                    + "model file " + key + " appeared while this one was copied); try again when it has finished", e);
        } catch (IOException e) {
            throw StoreIOException.of("read the model file", source, e);
        }
    }

    /** The SHA-256 and size of a stream, read in chunks to its end (the caller closes it). */
    static Hashed hash(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        long size = 0;
        byte[] buffer = new byte[CHUNK];
        int read;
        while ((read = in.read(buffer)) > 0) {
            digest.update(buffer, 0, read);
            size += read;
        }
        return new Hashed(size, HexFormat.of().formatHex(digest.digest()));
    }

    /** The SHA-256 and size of a file outside the registry (a model file given to register). */
    static Hashed hash(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return hash(in);
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
