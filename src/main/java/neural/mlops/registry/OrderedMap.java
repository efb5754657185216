package neural.mlops.registry;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An unmodifiable map that keeps its keys in the order given, in two arrays: a version's metrics
 * and its configuration, of which the registry holds one each per version. At 100,000 versions a
 * {@link LinkedHashMap} for each (an entry object per key, a hash table and a read-only wrapper)
 * was a third of the desktop's heap and most of what the collector copied while a registry
 * loaded. A lookup scans the keys, so a map of more than {@link #MAX_SCANNED} keys is kept in a
 * read-only {@link LinkedHashMap} instead. Values may be null, as JSON's are.
 */
final class OrderedMap<V> extends AbstractMap<String, V> {

    /** The most keys held in arrays; a lookup in a larger map should not scan. */
    static final int MAX_SCANNED = 16;

    private final String[] keys;
    private final Object[] values;

    private OrderedMap(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** An unmodifiable copy of {@code map} in its iteration order; {@code map} itself when it is one already. */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> copyOf(Map<String, ? extends V> map) {
        if (map instanceof OrderedMap<?>) {
            return (Map<String, V>) map;
        }
        if (map.isEmpty()) {
            return Map.of();
        }
        if (map.size() > MAX_SCANNED) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }
        String[] keys = new String[map.size()];
        Object[] values = new Object[map.size()];
        int i = 0;
        for (Map.Entry<String, ? extends V> entry : map.entrySet()) {
            keys[i] = Objects.requireNonNull(entry.getKey(), "key");
            values[i] = entry.getValue();
            i++;
        }
        return new OrderedMap<>(keys, values);
    }

    /**
     * The map of {@code keys} to {@code values} (same length, keys distinct and not null), taking
     * the arrays without copying them: for a decoder that has just filled them.
     *
     * @throws IllegalArgumentException when a key is null or repeated, or the lengths differ
     */
    static <V> Map<String, V> of(String[] keys, Object[] values) {
        if (keys.length != values.length) {
            throw new IllegalArgumentException(keys.length + " keys for " + values.length + " values");
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                throw new IllegalArgumentException("null key");
            }
            for (int j = 0; j < i; j++) {
                if (keys[j].equals(keys[i])) {
                    throw new IllegalArgumentException("repeated key " + keys[i]);
                }
            }
        }
        if (keys.length == 0) {
            return Map.of();
        }
        if (keys.length > MAX_SCANNED) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(new OrderedMap<V>(keys, values)));
        }
        return new OrderedMap<>(keys, values);
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) values[i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super String, ? super V> action) {
        for (int i = 0; i < keys.length; i++) {
            action.accept(keys[i], (V) values[i]);
        }
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Map.Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Map.Entry<String, V> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(keys[i], (V) values[i]);
                    }
                };
            }
        };
    }

}
