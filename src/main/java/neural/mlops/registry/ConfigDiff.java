package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import neural.mlops.store.Json;

/**
 * The configurations ({@code config.yaml}) of two versions key by key: every leaf of either, by
 * its nested path ({@code optimizer.lr}), as added, removed, changed or the same. Maps are walked
 * into (a key that is a map in one version and a value in the other shows as the leaves removed
 * and the value added); a list is one value (its items have no identity to pair them by, so a reordered list is a
 * change of the list). Numbers are equal when their values are ({@code 1} and {@code 1.0}).
 */
public record ConfigDiff(List<Entry> entries) {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    /** How a key of the other version stands against the baseline. */
    public enum Kind {
        ADDED, REMOVED, CHANGED, SAME;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One key: {@code baseline} is null when it was added, {@code other} when it was removed. */
    public record Entry(String path, Kind kind, Object baseline, Object other) {
        public Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
        }
    }

    public ConfigDiff {
        entries = List.copyOf(entries);
    }

    /** Compares {@code other} with {@code baseline}, keys in the baseline's order, then the added ones. */
    public static ConfigDiff between(Map<String, Object> baseline, Map<String, Object> other) {
        Map<String, Object> before = flatten(baseline);
        Map<String, Object> after = flatten(other);
        Set<String> paths = new LinkedHashSet<>(before.keySet());
        paths.addAll(after.keySet());
        List<Entry> entries = new ArrayList<>();
        for (String path : paths) {
            if (!after.containsKey(path)) {
                entries.add(new Entry(path, Kind.REMOVED, before.get(path), null));
            } else if (!before.containsKey(path)) {
                entries.add(new Entry(path, Kind.ADDED, null, after.get(path)));
            } else {
                boolean same = same(before.get(path), after.get(path));
                entries.add(new Entry(path, same ? Kind.SAME : Kind.CHANGED, before.get(path), after.get(path)));
            }
        }
        return new ConfigDiff(entries);
    }

    /** The keys that differ (added, removed or changed). */
    public List<Entry> differences() {
        return entries.stream().filter(entry -> entry.kind() != Kind.SAME).toList();
    }

    public boolean hasDifferences() {
        return entries.stream().anyMatch(entry -> entry.kind() != Kind.SAME);
    }

    /**
     * {@code {"added": {path: value}, "removed": {path: value}, "changed": {path: {"version1", "version2"}}}},
     * the differences only: the same keys are the rest of config.yaml.
     */
    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        ObjectNode added = node.putObject("added");
        ObjectNode removed = node.putObject("removed");
        ObjectNode changed = node.putObject("changed");
        for (Entry entry : entries) {
            switch (entry.kind()) {
                case ADDED -> added.set(entry.path(), Json.mapper().valueToTree(entry.other()));
                case REMOVED -> removed.set(entry.path(), Json.mapper().valueToTree(entry.baseline()));
                case CHANGED -> {
                    ObjectNode pair = changed.putObject(entry.path());
                    pair.set("version1", Json.mapper().valueToTree(entry.baseline()));
                    pair.set("version2", Json.mapper().valueToTree(entry.other()));
                }
                case SAME -> { }
            }
        }
        return node;
    }

    /**
     * Every leaf of {@code config} by its path, in the document's order: values that are not maps,
     * and empty maps (a key set to {@code {}} is a value too).
     */
    public static Map<String, Object> flatten(Map<String, Object> config) {
        Map<String, Object> leaves = new LinkedHashMap<>();
        flatten("", config == null ? Map.of() : config, leaves);
        return leaves;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> leaves) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String path = path(prefix, String.valueOf(entry.getKey()));
            if (entry.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
                flatten(path, nested, leaves);
            } else {
                leaves.put(path, entry.getValue());
            }
        }
    }

    /** {@code a.b}; a key that is not a plain word is quoted ({@code a["x.y"]}) so that paths stay unambiguous. */
    private static String path(String prefix, String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return prefix.isEmpty() ? key : prefix + "." + key;
        }
        return prefix + "[" + Json.mapper().valueToTree(key) + "]";
    }

    /**
     * A configuration value on one line, for people: text as it is, numbers as written (0.005,
     * not 5.0E-3), lists and maps as JSON, null as {@code null}. The CLI and the desktop show values so.
     */
    public static String text(Object value) {
        if (value == null) {
            return "null";
        }
        if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
            return BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value.toString();
        }
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return value.toString();
        }
    }

    /** Equal as configuration values: numbers by value, lists item by item. */
    public static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && finite(x) && finite(y)) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static boolean finite(Number number) {
        return !(number instanceof Double || number instanceof Float) || Double.isFinite(number.doubleValue());
    }
}
