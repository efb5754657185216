package neural.mlops.registry;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import neural.mlops.store.MlopsException;
import neural.mlops.store.Names;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.ConditionFailedException;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;

/**
 * A derived cache of the parsed metadata documents, so that listing ten thousand versions does not
 * read and parse ten thousand documents again: {@code .cache/metadata.bin} under the registry root
 * holds, per document, its size and storage version (a file's stamp, an object's ETag) as last
 * listed, and the version it was parsed into. A listing gives every document's version for free,
 * so an unchanged document costs nothing more (no read of it, on a folder or in a bucket); a
 * document whose version differs is read again. The cache lives with the documents, so a new
 * process, or another desktop on the same bucket, starts from it: one read of the cache and one
 * listing instead of a read per version.
 *
 * <p>A version can fail to tell two contents apart when both were written within one tick of a
 * file system's clock (as git's index treats "racily clean" entries), so a parse is trusted only
 * once the document was read again at least {@link #RACY_MILLIS} after its version was first seen
 * ({@link Cached#settled}); until then it is read on every listing. An object store's versions
 * (ETags) change with every write however close together ({@link Storage#versionsIdentifyContent}),
 * so there a parse is settled at once.
 *
 * <p>The cache is never trusted over the documents: what it returns is what parsing the documents
 * would return, and a cache that is unreadable, damaged (checksum), of another format or holding
 * a value the codec would refuse is ignored and rewritten. Writing it is best effort (a read-only
 * registry still lists, only slower). Corrupt documents are not cached: they are read, and
 * reported, on every listing.
 */
final class MetadataCache {

    static final Key KEY = Key.of(".cache/metadata.bin");

    /** Changes whenever the encoding below does; another value makes the cache ignored and rewritten. */
    private static final long MAGIC = 0x4e4d4c4d45544103L; // "NMLMETA" 3: storage versions, settled entries
    /** The cache is read whole; one larger than this is ignored and the documents are read instead. */
    private static final long MAX_CACHE_BYTES = 1L << 30;
    /** How long after a version was first seen a read of it is trusted to be the last content with that version. */
    static final long RACY_MILLIS = TimeUnit.SECONDS.toMillis(3);

    private final Storage storage;
    /** What the cache's storage version must still be for a write: what the last read or write left. */
    private Condition writeWhen = Condition.none();

    MetadataCache(Storage storage) {
        this.storage = storage;
    }

    /** What a document looked like in a listing: its size and its storage version. */
    record Stamp(long size, String version) {

        static Stamp of(StoredObject object) {
            return new Stamp(object.sizeBytes(), object.version().token());
        }
    }

    /**
     * A parsed version with the stamp of the document it was parsed from, when that stamp was first
     * seen ({@code seenSince}, epoch milliseconds), and whether the parse is {@code settled}: made at
     * least {@link #RACY_MILLIS} after that, so that no later write can have kept the stamp.
     */
    record Cached(Stamp stamp, ModelVersion version, long seenSince, boolean settled) {
    }

    /** The cache as last written, by document file name; empty when there is none or it cannot be used. */
    Map<String, Cached> read() {
        byte[] bytes;
        try {
            Optional<Document> document = storage.read(KEY, MAX_CACHE_BYTES);
            writeWhen = document.map(read -> Condition.matches(read.version())).orElse(Condition.absent());
            if (document.isEmpty()) {
                return Map.of();
            }
            bytes = document.get().content();
        } catch (MlopsException unusable) {
            writeWhen = Condition.none(); // a planted link or pipe (never written through), or a damaged cache
            return Map.of(); // the documents are read instead
        }
        if (bytes.length < 12) {
            return Map.of();
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ((bytes[bytes.length - 4] & 0xff) << 24) | ((bytes[bytes.length - 3] & 0xff) << 16)
                | ((bytes[bytes.length - 2] & 0xff) << 8) | (bytes[bytes.length - 1] & 0xff);
        if ((int) crc.getValue() != stored) {
            return Map.of();
        }
        try {
            Reader in = new Reader(bytes, bytes.length - 4);
            if (in.readLong() != MAGIC) {
                return Map.of();
            }
            in.readTable();
            int count = in.count();
            Map<String, Cached> entries = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                String name = in.string();
                Stamp stamp = new Stamp(in.readLong(), require(in.string()));
                long seenSince = in.readLong();
                boolean settled = in.readBoolean();
                entries.put(name, new Cached(stamp, version(in), seenSince, settled));
            }
            return entries;
        } catch (IOException | RuntimeException damaged) {
            return Map.of(); // rewritten from the documents by the caller
        }
    }

    /** How a {@link #write} went. */
    enum Outcome {
        WRITTEN,
        /** Not writable here (a read-only registry or viewer's credentials): the next listing is only slower. */
        NOT_WRITTEN,
        /** Another process wrote the cache since this one read it: read it again rather than overwrite it. */
        WRITTEN_SINCE
    }

    /** Writes the entries over the cache as {@link #read} found it. */
    Outcome write(Map<String, Cached> entries) {
        try {
            // Each entry is encoded on its own, then everything is copied once into an array of the
            // exact size: at 100,000 versions the cache is some 50 MB, and a growing buffer and its
            // copies held three or four times that at once, on top of the versions themselves.
            StringTable table = new StringTable();
            List<byte[]> encoded = new ArrayList<>(entries.size());
            long size = Long.BYTES + Integer.BYTES + Integer.BYTES + Integer.BYTES; // magic, two counts, checksum
            for (Map.Entry<String, Cached> entry : entries.entrySet()) {
                byte[] one = encode(entry.getKey(), entry.getValue(), table);
                if (one != null) {
                    encoded.add(one);
                    size += one.length;
                }
            }
            List<byte[]> strings = new ArrayList<>(table.strings.size());
            for (String text : table.strings) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                strings.add(bytes);
                size += Integer.BYTES + bytes.length;
            }
            if (size > MAX_CACHE_BYTES) {
                return Outcome.NOT_WRITTEN; // read() would ignore it
            }
            ByteBuffer out = ByteBuffer.allocate((int) size); // big-endian, as DataInput reads it
            out.putLong(MAGIC);
            out.putInt(strings.size());
            for (byte[] bytes : strings) {
                out.putInt(bytes.length).put(bytes);
            }
            out.putInt(encoded.size());
            for (int i = 0; i < encoded.size(); i++) {
                out.put(encoded.get(i));
                encoded.set(i, null); // copied: garbage from now on
            }
            CRC32 crc = new CRC32();
            crc.update(out.array(), 0, out.position());
            out.putInt((int) crc.getValue());
            // Conditional, so that a process never puts its older view over a newer one that another
            // process wrote since it read the cache (every entry is checked by ETag anyway; this keeps
            // two listers from undoing each other's work).
            writeWhen = Condition.matches(storage.write(KEY, out.array(), writeWhen));
            return Outcome.WRITTEN;
        } catch (ConditionFailedException writtenSince) {
            return Outcome.WRITTEN_SINCE;
        } catch (RuntimeException readOnly) {
            return Outcome.NOT_WRITTEN;
        }
    }

    /** One entry's bytes, or null for a version holding a value this encoding has no form for (it is not cached). */
    private static byte[] encode(String name, Cached cached, StringTable table) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
            DataOutputStream out = new DataOutputStream(buffer);
            string(out, table, name);
            out.writeLong(cached.stamp().size());
            string(out, table, cached.stamp().version());
            out.writeLong(cached.seenSince());
            out.writeBoolean(cached.settled());
            version(out, table, cached.version());
            out.flush();
            return buffer.toByteArray();
        } catch (IOException notCacheable) {
            return null;
        }
    }

    // The encoding: a table of the distinct strings (length-prefixed UTF-8), then the entries, which
    // name strings by their number in the table (-1 for null); times as epoch second and nano.

    private static void version(DataOutputStream out, StringTable table, ModelVersion v) throws IOException {
        string(out, table, v.name());
        string(out, table, v.version());
        string(out, table, v.stage().value());
        string(out, table, v.framework());
        string(out, table, v.createdBy());
        instant(out, v.createdAt());
        instant(out, v.updatedAt());
        string(out, table, v.description());
        out.writeInt(v.metrics().size());
        for (Map.Entry<String, Double> metric : v.metrics().entrySet()) {
            string(out, table, metric.getKey());
            out.writeDouble(metric.getValue());
        }
        out.writeInt(v.tags().size());
        for (String tag : v.tags()) {
            string(out, table, tag);
        }
        string(out, table, v.modelFile());
        string(out, table, MetadataCodec.portable(v.modelPath()));
        out.writeLong(v.modelSizeBytes());
        string(out, table, v.modelSha256());
        value(out, table, v.config(), 0);
        out.writeInt(v.stageHistory().size());
        for (StageTransition t : v.stageHistory()) {
            string(out, table, t.from() == null ? null : t.from().value());
            string(out, table, t.to().value());
            instant(out, t.at());
            string(out, table, t.by());
            string(out, table, t.reason());
        }
        string(out, table, v.lineage().sourceCommit());
        string(out, table, v.lineage().runId());
        string(out, table, v.lineage().dataset());
        string(out, table, v.lineage().parentVersion());
    }

    /** Reads a version back, refusing what {@link MetadataCodec} would refuse in a document. */
    private static ModelVersion version(Reader in) throws IOException {
        String name = in.identity();
        String version = in.identity();
        ModelStage stage = ModelStage.parse(in.string());
        String framework = in.string();
        String createdBy = in.string();
        Instant createdAt = in.instant();
        Instant updatedAt = in.instant();
        String description = in.string();
        int metricCount = in.count();
        String[] metricNames = new String[metricCount];
        Object[] metricValues = new Object[metricCount];
        for (int i = 0; i < metricCount; i++) {
            metricNames[i] = in.string();
            metricValues[i] = in.readDouble(); // NaN and Infinity are kept: the original module stores them (SPEC 10)
            if (metricNames[i] == null) {
                throw new IOException("bad metric");
            }
        }
        Map<String, Double> metrics = OrderedMap.of(metricNames, metricValues); // a repeated name throws: damaged
        int tagCount = in.count();
        List<String> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
            tags.add(require(in.string()));
        }
        String modelFile = in.string();
        Path modelPath = relativePath(in.string());
        long size = in.readLong();
        String sha256 = in.string();
        Object config = value(in, 0);
        if (!(config instanceof Map<?, ?>)) {
            throw new IOException("bad config");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> configMap = (Map<String, Object>) config;
        int historyCount = in.count();
        List<StageTransition> history = new ArrayList<>(historyCount);
        for (int i = 0; i < historyCount; i++) {
            String from = in.string();
            history.add(new StageTransition(from == null ? null : ModelStage.parse(from), ModelStage.parse(in.string()),
                    in.instant(), in.string(), in.string()));
        }
        Lineage lineage = new Lineage(in.string(), in.string(), in.string(), in.string());
        return new ModelVersion(name, version, stage, framework, createdBy, createdAt, updatedAt, description, metrics,
                tags, modelFile, modelPath, size, sha256, configMap, history, lineage);
    }

    private static Path relativePath(String stored) throws IOException {
        Path path = Path.of(require(stored)).normalize();
        if (path.isAbsolute() || path.startsWith("..") || stored.startsWith("/")) {
            throw new IOException("bad model path");
        }
        return path;
    }

    private static String require(String value) throws IOException {
        if (value == null) {
            throw new IOException("missing value");
        }
        return value;
    }

    private static void instant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    /** A string as its number in the table (-1 for null): a registry repeats its users, stages, tags and metric names. */
    private static void string(DataOutputStream out, StringTable table, String value) throws IOException {
        out.writeInt(value == null ? -1 : table.id(value));
    }

    /** The distinct strings of a cache, numbered in order of first use. */
    private static final class StringTable {
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> strings = new ArrayList<>();

        int id(String value) {
            return ids.computeIfAbsent(value, text -> {
                strings.add(text);
                return strings.size() - 1;
            });
        }
    }

    // Config values: the plain Java values MetadataCodec gives (maps, lists, strings, numbers, booleans, null).

    private static final int NULL = 0;
    private static final int STRING = 1;
    private static final int INTEGER = 2;
    private static final int LONG = 3;
    private static final int BIG = 4;
    private static final int DOUBLE = 5;
    private static final int BOOLEAN = 6;
    private static final int LIST = 7;
    private static final int MAP = 8;

    /** Deeper than any document Json reads (64 levels); also what keeps a damaged cache from recursing without end. */
    private static final int MAX_DEPTH = 64;

    private static void value(DataOutputStream out, StringTable table, Object value, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("too deep");
        }
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof String text) {
            out.writeByte(STRING);
            string(out, table, text);
        } else if (value instanceof Integer number) {
            out.writeByte(INTEGER);
            out.writeInt(number);
        } else if (value instanceof Long number) {
            out.writeByte(LONG);
            out.writeLong(number);
        } else if (value instanceof BigInteger number) {
            out.writeByte(BIG);
            string(out, table, number.toString());
        } else if (value instanceof Double number) {
            out.writeByte(DOUBLE);
            out.writeDouble(number);
        } else if (value instanceof Boolean flag) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(flag);
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object item : list) {
                value(out, table, item, depth + 1);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(MAP);
            out.writeInt(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                string(out, table, String.valueOf(entry.getKey()));
                value(out, table, entry.getValue(), depth + 1);
            }
        } else {
            // Not a value the codec produces: the version is simply not cacheable as it stands.
            throw new IOException("cannot cache a " + value.getClass().getSimpleName());
        }
    }

    private static Object value(Reader in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("too deep");
        }
        int type = in.readByte();
        return switch (type) {
            case NULL -> null;
            case STRING -> require(in.string());
            case INTEGER -> in.readInt();
            case LONG -> in.readLong();
            case BIG -> new BigInteger(require(in.string()));
            case DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case LIST -> {
                int size = in.count();
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(value(in, depth + 1));
                }
                yield list;
            }
            case MAP -> {
                int size = in.count();
                if (depth == 0) { // a version's configuration: held as the version will hold it
                    String[] keys = new String[size];
                    Object[] values = new Object[size];
                    for (int i = 0; i < size; i++) {
                        keys[i] = require(in.string());
                        values[i] = value(in, depth + 1);
                    }
                    yield OrderedMap.of(keys, values); // a repeated key throws: damaged
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) {
                    map.put(require(in.string()), value(in, depth + 1));
                }
                yield map;
            }
            default -> throw new IOException("bad value type " + type);
        };
    }

    /**
     * Reads the encoding from the bytes in place: no stream, no copy per string (a DataInputStream
     * over a byte array spent most of a listing in its synchronised reads). Every length is
     * checked against what is left, so a damaged cache fails instead of allocating.
     */
    private static final class Reader {
        private final ByteBuffer buffer;
        private final Set<String> checked = Collections.newSetFromMap(new IdentityHashMap<>());
        private String[] table = new String[0];

        Reader(byte[] bytes, int length) {
            this.buffer = ByteBuffer.wrap(bytes, 0, length);
        }

        long readLong() {
            return buffer.getLong();
        }

        int readInt() {
            return buffer.getInt();
        }

        double readDouble() {
            return buffer.getDouble();
        }

        byte readByte() {
            return buffer.get();
        }

        boolean readBoolean() {
            return buffer.get() != 0;
        }

        int count() throws IOException {
            int count = buffer.getInt();
            if (count < 0 || count > buffer.remaining()) {
                throw new IOException("bad count");
            }
            return count;
        }

        Instant instant() {
            return Instant.ofEpochSecond(buffer.getLong(), buffer.getInt());
        }

        /** Reads the table of strings that the entries then name by number. */
        void readTable() throws IOException {
            int count = count();
            table = new String[count];
            for (int i = 0; i < count; i++) {
                int length = buffer.getInt();
                if (length < 0 || length > buffer.remaining()) {
                    throw new IOException("bad string length");
                }
                int position = buffer.position();
                buffer.position(position + length);
                table[i] = new String(buffer.array(), position, length, StandardCharsets.UTF_8);
            }
        }

        String string() throws IOException {
            int id = buffer.getInt();
            if (id == -1) {
                return null;
            }
            if (id < 0 || id >= table.length) {
                throw new IOException("bad string number");
            }
            return table[id];
        }

        /** A model name or version, checked against the name rule once per distinct string. */
        String identity() throws IOException {
            String value = string();
            if (value == null || (!checked.contains(value) && Names.problem(value) != null)) {
                throw new IOException("bad identity");
            }
            checked.add(value);
            return value;
        }
    }
}
