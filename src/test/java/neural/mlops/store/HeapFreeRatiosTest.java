package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The heap's free ratios are read and set in this JVM, up and down, and malformed ones are never set. */
class HeapFreeRatiosTest {

    private HeapFreeRatios before;

    @BeforeEach
    void rememberThisJvmsOwn() {
        before = HeapFreeRatios.current().orElseThrow();
    }

    @AfterEach
    void putThemBack() {
        assertThat(before.apply()).isTrue();
        assertThat(HeapFreeRatios.current()).contains(before);
    }

    @Test
    void onlyWellFormedRatiosParse() {
        assertThat(HeapFreeRatios.parse("40,70")).contains(new HeapFreeRatios(40, 70));
        assertThat(HeapFreeRatios.parse("0,100")).contains(new HeapFreeRatios(0, 100));
        assertThat(HeapFreeRatios.parse(null)).isEmpty();
        assertThat(HeapFreeRatios.parse("")).isEmpty();
        assertThat(HeapFreeRatios.parse("forty,seventy")).isEmpty();
        assertThat(HeapFreeRatios.parse("40, 70")).isEmpty();
        assertThat(HeapFreeRatios.parse("70,40")).as("a minimum above the maximum").isEmpty();
        assertThat(HeapFreeRatios.parse("5,200")).as("more than all of the heap").isEmpty();
        assertThat(HeapFreeRatios.parse("-5,20")).isEmpty();
        assertThatThrownBy(() -> new HeapFreeRatios(50, 40)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new HeapFreeRatios(40, 70)).hasToString("40,70");
    }

    @Test
    void ratiosAreSetWiderThenNarrowerWhateverTheOrderTheJvmDemands() {
        // Each step is refused by the JVM if it would put the minimum above the maximum for a moment.
        assertThat(new HeapFreeRatios(60, 80).apply()).isTrue();
        assertThat(HeapFreeRatios.current()).contains(new HeapFreeRatios(60, 80));

        assertThat(new HeapFreeRatios(5, 20).apply()).as("both below the minimum in force").isTrue();
        assertThat(HeapFreeRatios.current()).contains(new HeapFreeRatios(5, 20));

        assertThat(new HeapFreeRatios(40, 70).apply()).as("both above the maximum in force").isTrue();
        assertThat(HeapFreeRatios.current()).contains(new HeapFreeRatios(40, 70));

        assertThat(new HeapFreeRatios(10, 30).apply()).isTrue();
        assertThat(HeapFreeRatios.current()).contains(new HeapFreeRatios(10, 30));
    }

    @Test
    void theRatiosForBurstsAreThoseTheLauncherNames() {
        String was = System.getProperty(HeapFreeRatios.BURST_PROPERTY);
        try {
            System.setProperty(HeapFreeRatios.BURST_PROPERTY, "40,70");
            assertThat(HeapFreeRatios.forBursts()).contains(new HeapFreeRatios(40, 70));
            System.setProperty(HeapFreeRatios.BURST_PROPERTY, "lots");
            assertThat(HeapFreeRatios.forBursts()).isEmpty();
            System.clearProperty(HeapFreeRatios.BURST_PROPERTY);
            assertThat(HeapFreeRatios.forBursts()).isEmpty();
        } finally {
            if (was != null) {
                System.setProperty(HeapFreeRatios.BURST_PROPERTY, was);
            }
        }
    }
}
