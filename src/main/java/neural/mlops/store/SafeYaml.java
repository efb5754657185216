package neural.mlops.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
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

    private SafeYaml() {
    }

    /** Loads a YAML mapping from a file; an empty file is an empty map. */
    public static Map<String, Object> loadMap(Path file) {
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // A folder, a device such as /dev/zero or a pipe: never read, it could be endless or block.
                throw new InvalidInputException(file + " is not a regular file; give a YAML file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(file + " is larger than " + MAX_BYTES / 1024 + " KiB; refusing to load it");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new InvalidInputException(file + " grew past " + MAX_BYTES / 1024 + " KiB while being read; "
                            + "refusing to load it");
                }
                return loadMap(utf8(bytes, file), file.toString());
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("File not found: " + file);
        } catch (IOException e) {
            throw StoreIOException.of("read", file, e);
        }
    }

    /**
     * The file's text, refusing bytes that are not UTF-8: decoding them leniently would store
     * replacement characters in place of what the file said.
     */
    private static String utf8(byte[] bytes, Path file) {
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
        if (text.length() > MAX_BYTES) {
            throw new InvalidInputException(source + " is larger than " + MAX_BYTES / 1024 + " KiB; refusing to load it");
        }
        try {
            Object loaded = newLoader().load(text);
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
        } catch (MarkedYAMLException e) {
            throw invalid(source, e);
        } catch (YAMLException e) {
            throw new InvalidInputException(source + ": refused: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new InvalidInputException(source + ": refused: nesting too deep");
        }
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
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(file + " is larger than " + MAX_BYTES / 1024 + " KiB; refusing to load it");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return compose(utf8(in.readAllBytes(), file), file.toString());
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("File not found: " + file);
        } catch (IOException e) {
            throw StoreIOException.of("read", file, e);
        }
    }

    /** {@link #compose(Path)} for text; {@code source} names it in messages. */
    public static Node compose(String text, String source) {
        if (text.length() > MAX_BYTES) {
            throw new InvalidInputException(source + " is larger than " + MAX_BYTES / 1024 + " KiB; refusing to load it");
        }
        try {
            return newLoader().compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw invalid(source, e);
        } catch (YAMLException e) {
            throw new InvalidInputException(source + ": refused: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new InvalidInputException(source + ": refused: nesting too deep");
        }
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
