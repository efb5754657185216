package neural.mlops.store.storage;

/**
 * What a write compares against: the S3 ETag, or the local file's stamp. Opaque; equal tokens mean
 * the same stored content as far as the backend can tell, and every write of a key gives it a new one.
 *
 * @param token the backend's token, never shown to users as meaningful
 */
public record Version(String token) {

    public Version {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("A version token must not be empty");
        }
    }
}
