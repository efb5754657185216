package neural.mlops.store;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;

/**
 * YAML as SPEC 2 allows it: standard types only (no arbitrary classes), a bounded size, a bounded
 * number of aliases (a "billion laughs" file fails fast) and bounded nesting. Used for
 * {@code workspace.yaml} and {@code config.yaml}.
 */
public final class SafeYaml {

    public static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_ALIASES = 50;
    static final int MAX_NESTING = 50;
    /**
     * What a document may grow to once every alias is replaced by what it names: an alias is a
     * few bytes in the file but a full copy for every reader that walks the values (the stored
     * metadata, the config.yaml written back), so a file of scalar aliases, no bomb by the alias
     * count, could otherwise expand to gigabytes.
     */
    static final long MAX_EXPANDED_NODES = 500_000;
    static final long MAX_EXPANDED_CHARS = 4L * MAX_BYTES;

    private SafeYaml() {
    }

    /** Loads a YAML mapping from a file; an empty file is an empty map. */
    public static Map<String, Object> loadMap(Path file) {
        return loadMap(readFile(file), file.toString());
    }

    /**
     * The text of a YAML file given as input: a regular file of at most {@link #MAX_BYTES} (never
     * {@code /dev/zero} or a pipe), read through the one helper that every document reader uses.
     */
    private static String readFile(Path file) {
        if (!StoreFiles.present(file)) {
            throw new InvalidInputException("File not found: " + file);
        }
        byte[] bytes;
        try {
            bytes = StoreFiles.readRegular(file, MAX_BYTES);
        } catch (CorruptDocumentException e) {
            throw new InvalidInputException(file + " is not a regular file; give a YAML file", e);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + " is larger than " + MAX_BYTES / 1024 + " KiB; refusing to load it", e);
        }
        return utf8(bytes, file.toString());
    }

    /**
     * Loads a YAML mapping from the bytes of a document read through a storage (at most
     * {@link #MAX_BYTES}); {@code source} names it in messages. Bytes that are not UTF-8 are refused.
     */
    public static Map<String, Object> loadMap(byte[] bytes, String source) {
        if (bytes.length > MAX_BYTES) {
            throw new InvalidInputException(source + " is larger than " + MAX_BYTES / 1024 + " KiB; refusing to load it");
        }
        return loadMap(utf8(bytes, source), source);
    }

    /**
     * The file's text, refusing bytes that are not UTF-8: decoding them leniently would store
     * replacement characters in place of what the file said.
     */
    private static String utf8(byte[] bytes, String file) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(file + " is not valid UTF-8 text; save it as UTF-8", e);
        }
    }

    /** Loads a YAML mapping from text; {@code source} names it in messages. */
    public static Map<String, Object> loadMap(String text, String source) {
        return parsing(text, source, () -> {
            Yaml loader = newLoader();
            requireBoundedExpansion(loader.compose(new StringReader(text)), source);
            Object loaded = loader.load(text);
            if (loaded == null) {
                return new LinkedHashMap<>();
            }
            if (!(loaded instanceof Map<?, ?> map)) {
                throw new InvalidInputException(source + ": expected a mapping of keys to values at the top level");
            }
            Map<String, Object> result = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                result.put(String.valueOf(entry.getKey()), entry.getValue());
            }
            return result;
        });
    }

    /** Runs a parse of {@code text} within the size limit, turning every YAML failure into one line naming {@code source}. */
    private static <T> T parsing(String text, String source, java.util.function.Supplier<T> parse) {
        if (text.length() > MAX_BYTES) {
            throw new InvalidInputException(source + " is larger than " + MAX_BYTES / 1024 + " KiB; refusing to load it");
        }
        try {
            return parse.get();
        } catch (MarkedYAMLException e) {
            throw invalid(source, e);
        } catch (YAMLException e) {
            throw new InvalidInputException(source + ": refused: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new InvalidInputException(source + ": refused: nesting too deep");
        }
    }

    /**
     * Refuses a node tree whose expansion (aliases replaced by copies) has more than
     * {@link #MAX_EXPANDED_NODES} nodes or {@link #MAX_EXPANDED_CHARS} characters of scalars. Each
     * distinct node is sized once, so the check is linear in the file however large the expansion.
     */
    static void requireBoundedExpansion(Node root, String source) {
        if (root == null) {
            return;
        }
        Expansion total = expansion(root, new IdentityHashMap<>());
        if (total.nodes() > MAX_EXPANDED_NODES || total.chars() > MAX_EXPANDED_CHARS) {
            throw new InvalidInputException(source + ": refused: its aliases expand to more than "
                    + (total.nodes() > MAX_EXPANDED_NODES ? MAX_EXPANDED_NODES + " values"
                            : MAX_EXPANDED_CHARS / (1024 * 1024) + " MiB of text")
                    + "; write the values out, or use fewer aliases");
        }
    }

    /** The size of a node once expanded; sums saturate, as an expansion can exceed a long. */
    private record Expansion(long nodes, long chars) {
        Expansion plus(Expansion other) {
            return new Expansion(saturated(nodes, other.nodes), saturated(chars, other.chars));
        }

        private static long saturated(long a, long b) {
            long sum = a + b;
            return sum < 0 ? Long.MAX_VALUE : sum;
        }
    }

    private static Expansion expansion(Node node, Map<Node, Expansion> sized) {
        Expansion known = sized.get(node);
        if (known != null) {
            return known;
        }
        Expansion size;
        if (node instanceof ScalarNode scalar) {
            size = new Expansion(1, scalar.getValue().length());
        } else if (node instanceof SequenceNode sequence) {
            size = new Expansion(1, 0);
            for (Node item : sequence.getValue()) {
                size = size.plus(expansion(item, sized));
            }
        } else if (node instanceof MappingNode mapping) {
            size = new Expansion(1, 0);
            for (NodeTuple tuple : mapping.getValue()) {
                size = size.plus(expansion(tuple.getKeyNode(), sized)).plus(expansion(tuple.getValueNode(), sized));
            }
        } else {
            size = new Expansion(1, 0);
        }
        sized.put(node, size);
        return size;
    }

    private static InvalidInputException invalid(String source, MarkedYAMLException e) {
        Mark mark = e.getProblemMark();
        String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        return new InvalidInputException(source + ": invalid YAML" + where + ": " + e.getProblem(), e);
    }

    /**
     * The node tree of a YAML file, each node with its line and column, for readers that must say
     * where a problem is ({@code workspace.yaml}'s policy). Same limits as {@link #loadMap}; no
     * value is constructed, so no type is ever instantiated. Null for an empty file.
     */
    public static Node compose(Path file) {
        return compose(readFile(file), file.toString());
    }

    /** {@link #compose(Path)} for text; {@code source} names it in messages. */
    public static Node compose(String text, String source) {
        return parsing(text, source, () -> {
            Node root = newLoader().compose(new StringReader(text));
            requireBoundedExpansion(root, source);
            return root;
        });
    }

    /** Block-style YAML for a map of plain values (config.yaml). */
    public static String dump(Map<String, ?> map) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setPrettyFlow(true);
        options.setIndent(2);
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options);
        return yaml.dump(map);
    }

    private static Yaml newLoader() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }
}
