package neural.mlops.registry;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import neural.mlops.store.Json;
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
 * <p>It is read whole ({@link #read}, for a snapshot), or in order ({@link #open}): its head (the
 * shared strings and one header per document) first, checked on its own, then each entry, checked
 * by its own CRC-32, grouped by model as {@link #write} orders them, so that a listing can write
 * out each model's versions as it reaches them and never hold the registry's.
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
    private static final long MAGIC = 0x4e4d4c4d45544104L; // "NMLMETA" 4: headers first, entries by model, each checked
    /** The cache is read whole; one larger than this is ignored and the documents are read instead. */
    private static final long MAX_CACHE_BYTES = 1L << 30;
    /** How long after a version was first seen a read of it is trusted to be the last content with that version. */
    static final long RACY_MILLIS = TimeUnit.SECONDS.toMillis(3);
    /**
     * The largest entry written or read: four times the largest document, which an entry can
     * outgrow only by a little (a number is 5 to 9 bytes here, 1 to 20 in JSON). A version whose
     * entry would be larger is not cached.
     */
    private static final long MAX_ENTRY_BYTES = 4 * Json.MAX_DOCUMENT_BYTES;
    /** A string reference that says the string follows, as its length and UTF-8 bytes: one of a version's own. */
    private static final int INLINE = -2;
    /** A string reference that stands for null. */
    private static final int NULL_STRING = -1;

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

    /**
     * What the cache says of one document before its version is decoded: the document's file name,
     * the model and version it holds, its stamp, and the length and CRC-32 of its entry.
     */
    record Header(String fileName, String name, String version, Stamp stamp, long seenSince, boolean settled,
                  int length, int crc) {
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
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            Head head = Head.parse(buffer, bytes.length);
            Reader in = new Reader(head.table());
            Map<String, Cached> entries = new HashMap<>(head.headers().size() * 2);
            for (Header header : head.headers()) {
                if (header.length() > buffer.remaining()) {
                    return Map.of();
                }
                ModelVersion version = in.entry(header, bytes, buffer.position());
                buffer.position(buffer.position() + header.length());
                if (version == null) {
                    return Map.of(); // damaged: rewritten from the documents by the caller
                }
                entries.put(header.fileName(), new Cached(header.stamp(), version, header.seenSince(), header.settled()));
            }
            return buffer.hasRemaining() ? Map.of() : entries;
        } catch (IOException | RuntimeException damaged) {
            return Map.of(); // rewritten from the documents by the caller
        }
    }

    /**
     * The cache opened for reading in order: its headers at once, each entry's version when asked
     * for. Empty when there is no cache or its headers cannot be used; the caller closes it.
     */
    Optional<Entries> open() {
        InputStream stream;
        try {
            Optional<InputStream> opened = storage.openStream(KEY);
            if (opened.isEmpty()) {
                return Optional.empty();
            }
            stream = opened.get();
        } catch (MlopsException unusable) {
            return Optional.empty();
        }
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
            if (in.readLong() != MAGIC) {
                stream.close();
                return Optional.empty();
            }
            int length = in.readInt();
            if (length < 8 || length > MAX_CACHE_BYTES) {
                stream.close();
                return Optional.empty();
            }
            // Read as it comes rather than into an array of the stated length, which a damaged cache could make huge.
            byte[] rest = in.readNBytes(length + Integer.BYTES);
            if (rest.length != length + Integer.BYTES) {
                stream.close();
                return Optional.empty();
            }
            byte[] head = new byte[Long.BYTES + Integer.BYTES + rest.length];
            ByteBuffer.wrap(head).putLong(MAGIC).putInt(length).put(rest);
            return Optional.of(new Entries(Head.parse(ByteBuffer.wrap(head), head.length), in));
        } catch (IOException | RuntimeException damaged) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // Nothing was read from it that is kept.
            }
            return Optional.empty();
        }
    }

    /**
     * The entries of an opened cache, read in the order of their headers: {@link #version} of a
     * header skips the entries before it and decodes its own, or says it is damaged. Headers come
     * grouped by model, models by name ({@link #write}).
     */
    static final class Entries implements AutoCloseable {
        private final Head head;
        private final DataInputStream in;
        private final Reader reader;
        private byte[] entry = new byte[4096];
        /** The index of the next header whose entry the stream is at. */
        private int next;
        private boolean broken;

        private Entries(Head head, DataInputStream in) {
            this.head = head;
            this.in = in;
            this.reader = new Reader(head.table());
        }

        List<Header> headers() {
            return head.headers();
        }

        /**
         * The version of the header at {@code index}, which must come after the last one asked for;
         * null when its entry is damaged or the stream failed (its document is read instead).
         */
        ModelVersion version(int index) {
            if (index < next) {
                throw new IllegalStateException("entries are read in order");
            }
            try {
                while (!broken && next < index) {
                    in.skipNBytes(head.headers().get(next++).length());
                }
                if (broken) {
                    return null;
                }
                Header header = head.headers().get(next++);
                if (entry.length < header.length()) {
                    entry = new byte[Math.max(header.length(), entry.length * 2)];
                }
                in.readFully(entry, 0, header.length());
                return reader.entry(header, entry, 0);
            } catch (IOException | RuntimeException failed) {
                broken = true; // the rest of the stream cannot be trusted to be where its headers say
                return null;
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // Only read from: nothing to lose.
            }
        }
    }

    /** The table of shared strings and the headers, as one checked section at the start of the cache. */
    private record Head(String[] table, List<Header> headers) {

        /** Parses the head from {@code buffer} (positioned at the magic), leaving it at the first entry. */
        static Head parse(ByteBuffer buffer, int limit) throws IOException {
            if (limit < 16 || buffer.getLong() != MAGIC) {
                throw new IOException("not a cache");
            }
            int length = buffer.getInt();
            int start = buffer.position();
            if (length < 8 || length > limit - start - Integer.BYTES) {
                throw new IOException("bad head length");
            }
            CRC32 crc = new CRC32();
            crc.update(buffer.array(), start, length);
            if ((int) crc.getValue() != buffer.getInt(start + length)) {
                throw new IOException("damaged head");
            }
            Reader in = new Reader(new String[0]);
            in.reset(buffer.array(), start, length);
            String[] table = in.readTable();
            int count = in.count();
            List<Header> headers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String fileName = require(in.string());
                String name = in.identity();
                String version = in.identity();
                Stamp stamp = new Stamp(in.readLong(), require(in.string()));
                long seenSince = in.readLong();
                boolean settled = in.readBoolean();
                int entryLength = in.readInt();
                if (entryLength < 0 || entryLength > MAX_ENTRY_BYTES) {
                    throw new IOException("bad entry length");
                }
                headers.add(new Header(fileName, name, version, stamp, seenSince, settled, entryLength, in.readInt()));
            }
            if (in.remaining() != 0) {
                throw new IOException("bad head");
            }
            buffer.position(start + length + Integer.BYTES);
            return new Head(table, headers);
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

    /**
     * Writes the entries over the cache as {@link #read} found it: grouped by model, models by name
     * and versions in version order, so that a listing can hand them out model by model as it reads
     * them ({@link #open}).
     */
    Outcome write(Map<String, Cached> entries) {
        try {
            List<Map.Entry<String, Cached>> ordered = new ArrayList<>(entries.entrySet());
            ordered.sort(Comparator.comparing((Map.Entry<String, Cached> entry) -> entry.getValue().version().name())
                    .thenComparing(entry -> entry.getValue().version(), VersionOrder.comparator())
                    .thenComparing(Map.Entry::getKey));
            // A version's own strings (its file's name and stamp, path, hash, commit and run) follow
            // their reference inline; the others, which versions share, go to the table, so that a
            // reader in order holds the shared strings only.
            StringTable table = new StringTable();
            // Each entry is encoded on its own, then everything is copied once into an array of the
            // exact size: at 100,000 versions the cache is some 50 MB, and a growing buffer and its
            // copies held three or four times that at once, on top of the versions themselves.
            ByteArrayOutputStream headerBytes = new ByteArrayOutputStream(64 * ordered.size() + 64);
            DataOutputStream headers = new DataOutputStream(headerBytes);
            List<byte[]> encoded = new ArrayList<>(ordered.size());
            long size = 0;
            CRC32 crc = new CRC32();
            for (Map.Entry<String, Cached> entry : ordered) {
                byte[] one = encode(entry.getValue().version(), table);
                if (one == null) {
                    continue;
                }
                Cached cached = entry.getValue();
                crc.reset();
                crc.update(one);
                unique(headers, entry.getKey());
                table.write(headers, cached.version().name());
                table.write(headers, cached.version().version());
                headers.writeLong(cached.stamp().size());
                unique(headers, cached.stamp().version());
                headers.writeLong(cached.seenSince());
                headers.writeBoolean(cached.settled());
                headers.writeInt(one.length);
                headers.writeInt((int) crc.getValue());
                encoded.add(one);
                size += one.length;
            }
            headers.flush();
            ByteArrayOutputStream headBytes = new ByteArrayOutputStream(headerBytes.size() + 64 * table.strings.size() + 16);
            DataOutputStream head = new DataOutputStream(headBytes);
            head.writeInt(table.strings.size());
            for (String text : table.strings) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                head.writeInt(bytes.length);
                head.write(bytes);
            }
            head.writeInt(encoded.size());
            headerBytes.writeTo(head);
            head.flush();
            size += Long.BYTES + Integer.BYTES + headBytes.size() + Integer.BYTES;
            if (size > MAX_CACHE_BYTES) {
                return Outcome.NOT_WRITTEN; // read() would ignore it
            }
            ByteBuffer out = ByteBuffer.allocate((int) size); // big-endian, as DataInput reads it
            out.putLong(MAGIC);
            out.putInt(headBytes.size());
            byte[] headArray = headBytes.toByteArray();
            out.put(headArray);
            crc.reset();
            crc.update(headArray);
            out.putInt((int) crc.getValue());
            for (int i = 0; i < encoded.size(); i++) {
                out.put(encoded.get(i));
                encoded.set(i, null); // copied: garbage from now on
            }
            // Conditional, so that a process never puts its older view over a newer one that another
            // process wrote since it read the cache (every entry is checked by ETag anyway; this keeps
            // two listers from undoing each other's work).
            writeWhen = Condition.matches(storage.write(KEY, out.array(), writeWhen));
            return Outcome.WRITTEN;
        } catch (ConditionFailedException writtenSince) {
            return Outcome.WRITTEN_SINCE;
        } catch (IOException | RuntimeException readOnly) {
            return Outcome.NOT_WRITTEN;
        }
    }

    /** One version's entry, or null for a version holding a value this encoding has no form for (it is not cached). */
    private static byte[] encode(ModelVersion version, StringTable table) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
            DataOutputStream out = new DataOutputStream(buffer);
            version(out, table, version);
            out.flush();
            return buffer.size() > MAX_ENTRY_BYTES ? null : buffer.toByteArray();
        } catch (IOException notCacheable) {
            return null;
        }
    }

    // The encoding: the magic; the head's length, the head (the table of shared strings, each its
    // length and UTF-8 bytes, then the headers) and its CRC-32; then the entries, one per header. A
    // string is named by its number in the table, -1 for null, or -2 followed by the string itself;
    // times are epoch second and nano.

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
        unique(out, MetadataCodec.portable(v.modelPath()));
        out.writeLong(v.modelSizeBytes());
        unique(out, v.modelSha256());
        value(out, table, v.config(), 0);
        out.writeInt(v.stageHistory().size());
        for (StageTransition t : v.stageHistory()) {
            string(out, table, t.from() == null ? null : t.from().value());
            string(out, table, t.to().value());
            instant(out, t.at());
            string(out, table, t.by());
            string(out, table, t.reason());
        }
        unique(out, v.lineage().sourceCommit());
        unique(out, v.lineage().runId());
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

    /** A string as its number in the table (-1 for null): one that versions share. */
    private static void string(DataOutputStream out, StringTable table, String value) throws IOException {
        table.write(out, value);
    }

    /** A string of one version's own (a hash, a path, a commit), inline rather than in the table; -1 for null. */
    private static void unique(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(NULL_STRING);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(INLINE);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** The shared strings of a cache, numbered in order of first use: a registry repeats its users, stages, tags and metric names. */
    private static final class StringTable {
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> strings = new ArrayList<>();

        void write(DataOutputStream out, String value) throws IOException {
            out.writeInt(value == null ? NULL_STRING : ids.computeIfAbsent(value, text -> {
                strings.add(text);
                return strings.size() - 1;
            }));
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
     * Reads the encoding from bytes in place: no stream, no copy per shared string (a
     * DataInputStream over a byte array spent most of a listing in its synchronised reads). Every
     * length is checked against what is left, so a damaged cache fails instead of allocating.
     */
    private static final class Reader {
        private ByteBuffer buffer = ByteBuffer.allocate(0);
        private String[] table;
        /** The table's model names and versions already checked against the name rule. */
        private final Set<String> checked = Collections.newSetFromMap(new IdentityHashMap<>());
        /** Whether the last string read was inline (not the table's, so not worth remembering as checked). */
        private boolean inline;

        Reader(String[] table) {
            this.table = table;
        }

        /** Reads {@code length} bytes of {@code bytes} from {@code offset} next. */
        void reset(byte[] bytes, int offset, int length) {
            buffer = ByteBuffer.wrap(bytes, offset, length);
        }

        int remaining() {
            return buffer.remaining();
        }

        /**
         * The version of {@code header}'s entry, at {@code offset} in {@code bytes}; null when the
         * entry is damaged: its checksum, its encoding, or a model or version other than the header's.
         */
        ModelVersion entry(Header header, byte[] bytes, int offset) {
            if (header.length() > bytes.length - offset) {
                return null;
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, offset, header.length());
            if ((int) crc.getValue() != header.crc()) {
                return null;
            }
            reset(bytes, offset, header.length());
            try {
                ModelVersion version = version(this);
                boolean whole = buffer.remaining() == 0;
                return whole && version.name().equals(header.name()) && version.version().equals(header.version())
                        ? version : null;
            } catch (IOException | RuntimeException damaged) {
                return null;
            }
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

        /** Reads the table of shared strings that the headers and entries then name by number, and uses it. */
        String[] readTable() throws IOException {
            int count = count();
            String[] strings = new String[count];
            for (int i = 0; i < count; i++) {
                strings[i] = utf8();
            }
            table = strings;
            return strings;
        }

        private String utf8() throws IOException {
            int length = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                throw new IOException("bad string length");
            }
            int position = buffer.position();
            buffer.position(position + length);
            return new String(buffer.array(), position, length, StandardCharsets.UTF_8);
        }

        String string() throws IOException {
            int id = buffer.getInt();
            inline = id == INLINE;
            if (inline) {
                return utf8();
            }
            if (id == NULL_STRING) {
                return null;
            }
            if (id < 0 || id >= table.length) {
                throw new IOException("bad string number");
            }
            return table[id];
        }

        /** A model name or version, checked against the name rule (once per string of the table). */
        String identity() throws IOException {
            String value = string();
            if (value == null || (!checked.contains(value) && Names.problem(value) != null)) {
                throw new IOException("bad identity");
            }
            if (!inline) {
                checked.add(value);
            }
            return value;
        }
    }
}
