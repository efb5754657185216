package neural.mlops.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import neural.mlops.store.Json;

/**
 * Zip archives: a PyTorch {@code torch.save} file (a {@code data.pkl} plus one entry per storage),
 * a Keras {@code .keras} file (its {@code config.json}), or any other zip. Every pickle entry is
 * scanned wherever it sits. Entries are inflated through a counter that refuses more bytes than the
 * entry declares, more than {@link #MAX_INFLATED} in all, or a ratio only a zip bomb has.
 */
final class ZipReader {
    static final int MAX_ENTRIES = 100_000;
    static final long MAX_INFLATED = 1L << 30;
    static final long MAX_RATIO = 200;
    private static final int MAX_CONFIG = 16 * 1024 * 1024;

    private long inflated;

    private ZipReader() {
    }

    static Inspection read(Path file) throws Unreadable {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new ZipReader().read(zip);
        } catch (ZipException e) {
            throw new Unreadable("not a complete zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new Unreadable("cannot read the zip archive: " + e.getMessage(), e);
        }
    }

    private Inspection read(ZipFile zip) throws Unreadable, IOException {
        List<ZipEntry> entries = new ArrayList<>();
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            if (entries.size() >= MAX_ENTRIES) {
                throw new Unreadable("the archive has more than " + MAX_ENTRIES + " entries");
            }
            entries.add(all.nextElement());
        }
        ZipEntry dataPickle = entries.stream().filter(e -> e.getName().endsWith("data.pkl")).findFirst().orElse(null);
        ZipEntry config = zip.getEntry("config.json");
        Summary summary = new Summary(dataPickle != null ? "pytorch" : config != null ? "keras" : "zip");
        ArrayNode listing = summary.details.putArray("entries");
        for (ZipEntry entry : entries) {
            ObjectNode item = listing.addObject();
            item.put("name", entry.getName());
            item.put("size", entry.getSize());
        }
        for (ZipEntry entry : entries) {
            String name = entry.getName();
            if (name.endsWith(".pkl") || name.endsWith(".pickle") || name.endsWith(".joblib")) {
                try (InputStream in = open(zip, entry)) {
                    PickleScan scan = PickleScanner.scan(new ByteInput(in, declared(entry)));
                    summary.add(scan);
                    if (entry == dataPickle) {
                        torch(zip, dataPickle, scan, summary);
                    }
                }
            }
        }
        if (dataPickle != null) {
            return summary.finish("PyTorch archive, " + summary.tensors.size() + " tensors, "
                    + Summary.count(summary.parameters.orElse(0)) + ", protocol "
                    + summary.details.path("protocol").asInt());
        }
        if (config != null) {
            return keras(zip, config, summary);
        }
        return summary.finish("zip archive of " + entries.size() + " entries");
    }

    /** The storages the pickle names, checked against the sizes of their {@code data/<key>} entries. */
    private static void torch(ZipFile zip, ZipEntry dataPickle, PickleScan scan, Summary summary) {
        String prefix = dataPickle.getName().substring(0, dataPickle.getName().length() - "data.pkl".length());
        summary.details.put("protocol", scan.protocol());
        ArrayNode storages = summary.details.putArray("storages");
        long parameters = 0;
        for (Map.Entry<String, PickleScan.Storage> storage : scan.storages().entrySet()) {
            ObjectNode item = storages.addObject();
            item.put("key", storage.getKey());
            item.put("dtype", storage.getValue().dtype());
            item.put("elements", storage.getValue().elements());
            ZipEntry data = zip.getEntry(prefix + "data/" + storage.getKey());
            item.put("bytes", data != null ? data.getSize() : -1);
            parameters += storage.getValue().elements();
        }
        summary.parameters = OptionalLong.of(parameters);
    }

    /**
     * A Keras config: its layers, and a parameter count when every layer's is known from the config
     * alone (Dense layers with a built input shape, and layers without weights). A Lambda layer holds
     * marshalled Python bytecode that runs on loading: unsafe.
     */
    private Inspection keras(ZipFile zip, ZipEntry config, Summary summary) throws Unreadable, IOException {
        JsonNode root;
        try (InputStream in = open(zip, config)) {
            byte[] bytes = new ByteInput(in, declared(config)).bytes(declared(config), MAX_CONFIG, "config.json");
            root = Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new Unreadable("config.json is not JSON: " + Json.describe(e), e);
        }
        ArrayNode layers = summary.details.putArray("layers");
        long parameters = 0;
        boolean known = true;
        for (JsonNode layer : root.path("config").path("layers")) {
            String type = layer.path("class_name").asText("?");
            JsonNode settings = layer.path("config");
            ObjectNode item = layers.addObject();
            item.put("class_name", type);
            item.put("name", settings.path("name").asText(""));
            String module = layer.path("module").asText("keras.layers");
            if (type.equals("Lambda")) {
                summary.verdict = Verdict.UNSAFE;
                summary.offending.add("keras.layers.Lambda " + settings.path("name").asText(""));
            } else if (!module.startsWith("keras") && summary.verdict == Verdict.SAFE) {
                summary.verdict = Verdict.UNKNOWN;
                summary.offending.add(module + "." + type);
            }
            switch (type) {
                case "InputLayer", "Dropout", "Activation", "Flatten", "ReLU", "Softmax" -> item.put("parameters", 0);
                case "Dense" -> {
                    JsonNode shape = layer.path("build_config").path("input_shape");
                    long units = settings.path("units").asLong(-1);
                    long inputs = shape.isArray() && shape.size() > 0 ? shape.get(shape.size() - 1).asLong(-1) : -1;
                    if (units > 0 && inputs > 0) {
                        long count = inputs * units + (settings.path("use_bias").asBoolean(true) ? units : 0);
                        item.put("parameters", count);
                        parameters += count;
                    } else {
                        known = false;
                    }
                }
                default -> known = false;
            }
        }
        if (known) {
            summary.parameters = OptionalLong.of(parameters);
        }
        summary.details.put("class_name", root.path("class_name").asText("?"));
        return summary.finish("Keras " + root.path("class_name").asText("model") + ", " + layers.size() + " layers, "
                + (known ? Summary.count(parameters) : "parameter count not stated"));
    }

    private static long declared(ZipEntry entry) {
        return entry.getSize() >= 0 ? entry.getSize() : MAX_INFLATED;
    }

    private InputStream open(ZipFile zip, ZipEntry entry) throws Unreadable, IOException {
        long size = entry.getSize();
        long compressed = entry.getCompressedSize();
        if (size > 1024 * 1024 && compressed > 0 && size / compressed > MAX_RATIO) {
            throw new Unreadable("entry " + entry.getName() + " inflates " + size / compressed
                    + " times (" + size + " bytes): a zip bomb");
        }
        return new Counted(zip.getInputStream(entry), entry, this);
    }

    /** Counts inflated bytes: more than the entry declared, or than the archive's budget, stops reading. */
    private static final class Counted extends FilterInputStream {
        private final ZipEntry entry;
        private final ZipReader reader;
        private long read;

        Counted(InputStream in, ZipEntry entry, ZipReader reader) {
            super(in);
            this.entry = entry;
            this.reader = reader;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int got = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (got < 0) {
                    break;
                }
                skipped += got;
            }
            return skipped;
        }

        private void count(long n) throws IOException {
            read += n;
            reader.inflated += n;
            if (entry.getSize() >= 0 && read > entry.getSize()) {
                throw new ZipException("entry " + entry.getName() + " inflates beyond its declared "
                        + entry.getSize() + " bytes");
            }
            if (reader.inflated > MAX_INFLATED) {
                throw new ZipException("the archive inflates beyond " + MAX_INFLATED + " bytes");
            }
        }
    }
}
