package neural.mlops.store.storage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/**
 * Where a document lives in a workspace: its SPEC 2 path relative to the workspace root, segments
 * separated by {@code /} ({@code models/metadata/fraud_v1.json}), the same on every backend so
 * that a folder copied key by key into a bucket is the same workspace. A key never leaves the
 * root: no empty, {@code .} or {@code ..} segment, no backslash, no control character, and it is
 * not under {@value #RESERVED}, where a storage keeps its own objects.
 */
public final class Key implements Comparable<Key> {

    /** S3's limit on a key, in UTF-8 bytes; the bucket prefix counts against it too. */
    static final int MAX_BYTES = 1024;

    /** Top-level folder where a storage keeps its own objects (lock, change marker, probes); refused to callers. */
    static final String RESERVED = ".neural-mlops";

    private final String value;

    private Key(String value) {
        this.value = value;
    }

    /** A key from a relative path such as {@code audit_logs/head.json}; bad input is refused with its reason. */
    public static Key of(String value) {
        check(value, "key");
        if (value.equals(RESERVED) || value.startsWith(RESERVED + "/")) {
            throw new InvalidInputException("The storage key " + Names.quote(value) + " is under " + RESERVED
                    + "/, which the storage keeps for itself");
        }
        return new Key(value);
    }

    /** A key from path segments, each one a single segment. */
    public static Key of(String first, String... more) {
        StringBuilder joined = new StringBuilder(first);
        for (String segment : more) {
            joined.append('/').append(segment);
        }
        return of(joined.toString());
    }

    /**
     * A folder to list under: {@code ""} for the whole workspace, else a key-like path, returned
     * with a trailing {@code /} so that {@code models} never matches {@code models_old/...}.
     */
    public static String folder(String value) {
        if (value == null) {
            throw new InvalidInputException("A folder to list must be given; use \"\" for the whole workspace");
        }
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        if (trimmed.isEmpty()) {
            return "";
        }
        check(trimmed, "folder");
        return trimmed + "/";
    }

    /**
     * Whether {@code name}, found directly under {@code parent} (a folder as {@link #folder} returns
     * it), is a folder callers may be given: keys can live in it and it is not the storage's own.
     */
    static boolean isFolderName(String parent, String name) {
        try {
            of(parent + name);
            return true;
        } catch (InvalidInputException notAKeyFolder) {
            return false;
        }
    }

    /** A key of the storage's own, under {@link #RESERVED}; never built from user input. */
    static Key internal(String relative) {
        String value = RESERVED + "/" + relative;
        check(value, "key");
        return new Key(value);
    }

    /** The relative path. */
    public String value() {
        return value;
    }

    /** The key's segments, first to last. */
    public List<String> segments() {
        return List.of(value.split("/", -1));
    }

    /** How many segments the key has ({@code segments().size()}, without splitting it). */
    public int depth() {
        int depth = 1;
        for (int i = value.indexOf('/'); i >= 0; i = value.indexOf('/', i + 1)) {
            depth++;
        }
        return depth;
    }

    /** The last segment: the file name. */
    public String fileName() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    /** True for the storage's own objects, which listings skip. */
    boolean isInternal() {
        return value.startsWith(RESERVED + "/");
    }

    @Override
    public int compareTo(Key other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Key key && key.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }

    private static void check(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("A storage " + what + " must not be empty");
        }
        // A character is at most 3 UTF-8 bytes (a surrogate pair 4 for 2): only a long key is encoded to measure it.
        if (value.length() * 3 > MAX_BYTES && value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidInputException("The storage " + what + " " + Names.quote(abbreviate(value))
                    + " is longer than " + MAX_BYTES + " bytes");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new InvalidInputException("The storage " + what + " " + Names.quote(value)
                        + " contains a control character or a backslash; keys use '/' between plain segments");
            }
        }
        // Every segment between slashes, without splitting: a listing checks a key per object.
        for (int start = 0; start <= value.length(); ) {
            int end = value.indexOf('/', start);
            if (end < 0) {
                end = value.length();
            }
            if (isEmptyOrDots(value, start, end)) {
                throw new InvalidInputException("The storage " + what + " " + Names.quote(value)
                        + " has an empty, '.' or '..' segment; keys are relative paths inside the workspace");
            }
            start = end + 1;
        }
    }

    /** Whether {@code value[start, end)} is {@code ""}, {@code "."} or {@code ".."}. */
    private static boolean isEmptyOrDots(String value, int start, int end) {
        int length = end - start;
        return length == 0 || (length <= 2 && value.charAt(start) == '.' && value.charAt(end - 1) == '.');
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
