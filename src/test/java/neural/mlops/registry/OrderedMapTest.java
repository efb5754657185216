package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compact read-only map a version keeps its metrics and configuration in. */
class OrderedMapTest {

    @Test
    void keepsTheOrderGivenAndAnswersLookupsLikeTheMapItCopies() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("zeta", 1);
        given.put("alpha", null);
        given.put("mid", "text");

        Map<String, Object> copy = OrderedMap.copyOf(given);

        assertThat(copy).containsExactly(Map.entry("zeta", 1), new java.util.AbstractMap.SimpleEntry<>("alpha", null),
                Map.entry("mid", "text"));
        assertThat(copy.get("mid")).isEqualTo("text");
        assertThat(copy.get("alpha")).isNull();
        assertThat(copy.containsKey("alpha")).isTrue();
        assertThat(copy.containsKey("missing")).isFalse();
        assertThat(copy.get("missing")).isNull();
        assertThat(copy.get(42)).isNull();
        assertThat(copy).isEqualTo(given).hasSameHashCodeAs(given);
        assertThat(given).isEqualTo(copy);
        assertThat(new HashMap<>(given)).isEqualTo(copy);
        assertThat(copy.toString()).isEqualTo(given.toString());
    }

    @Test
    void cannotBeChangedThroughAnyView() {
        Map<String, Object> copy = OrderedMap.copyOf(Map.of("accuracy", 0.9));

        assertThatThrownBy(() -> copy.put("accuracy", 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.remove("accuracy")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(copy::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.entrySet().iterator().next().setValue(1.0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.keySet().remove("accuracy")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(copy).containsEntry("accuracy", 0.9);
    }

    @Test
    void aCopyOfACopyIsTheSameMapAndAnEmptyOneIsTheEmptyMap() {
        Map<String, Double> copy = OrderedMap.copyOf(Map.of("loss", 0.1));

        assertThat(OrderedMap.copyOf(copy)).isSameAs(copy);
        assertThat(OrderedMap.copyOf(Map.of())).isSameAs(Map.of());
    }

    @Test
    void aMapLargerThanAScanIsKeptHashedInTheSameOrder() {
        Map<String, Object> given = new LinkedHashMap<>();
        for (int i = OrderedMap.MAX_SCANNED + 1; i > 0; i--) {
            given.put("key" + i, i);
        }

        Map<String, Object> copy = OrderedMap.copyOf(given);
        String[] keys = given.keySet().toArray(String[]::new);
        Map<String, Object> built = OrderedMap.of(keys, given.values().toArray());

        assertThat(copy).isNotInstanceOf(OrderedMap.class).containsExactlyEntriesOf(given);
        assertThat(built).isNotInstanceOf(OrderedMap.class).containsExactlyEntriesOf(given);
        assertThatThrownBy(() -> copy.put("new", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> built.put("new", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void arraysWithARepeatedOrMissingKeyOrUnevenLengthsAreRefused() {
        assertThatThrownBy(() -> OrderedMap.of(new String[] {"a", "b", "a"}, new Object[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("repeated key a");
        assertThatThrownBy(() -> OrderedMap.of(new String[] {"a", null}, new Object[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("null key");
        assertThatThrownBy(() -> OrderedMap.of(new String[] {"a"}, new Object[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("1 keys for 2 values");
        assertThat(OrderedMap.of(new String[] {"b", "a"}, new Object[] {2, 1})).containsExactly(Map.entry("b", 2),
                Map.entry("a", 1));
    }
}
