package neural.mlops.registry;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.UtcTime;

/**
 * A version's configuration as a tree of plain values that both JSON (the metadata document) and
 * YAML (config.yaml) hold the same way: maps with string keys, lists, strings, finite numbers,
 * booleans and nulls. YAML timestamps become stored-format times, binary becomes base64.
 */
final class ConfigValues {

    private static final int MAX_DEPTH = 32;

    private ConfigValues() {
    }

    static Map<String, Object> normalize(Map<String, ?> config) {
        if (config == null) {
            return new LinkedHashMap<>();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> normalized = (Map<String, Object>) value(config, "config", 0);
        return normalized;
    }

    private static Object value(Object value, String where, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException("The configuration is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            if ((value instanceof Double || value instanceof Float) && !Double.isFinite(number.doubleValue())) {
                throw new InvalidInputException("The configuration value at " + where + " is " + number
                        + "; only finite numbers can be stored");
            }
            return value;
        }
        if (value instanceof Date date) {
            return UtcTime.format(date.toInstant());
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                result.put(key, value(entry.getValue(), where + "." + key, depth + 1));
            }
            return result;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> result = new ArrayList<>();
            int index = 0;
            for (Object item : collection) {
                result.add(value(item, where + "[" + index++ + "]", depth + 1));
            }
            return result;
        }
        return value.toString();
    }
}
