package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.beans.property.SimpleBooleanProperty;
import neural.mlops.store.HeapFreeRatios;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The desktop's heap keeps the wide ratios through the registry's first load only, then the launcher's own. */
class LoadingHeapTest {

    private static final HeapFreeRatios WIDE = new HeapFreeRatios(40, 70);
    private static final HeapFreeRatios OWN = new HeapFreeRatios(10, 30);

    private HeapFreeRatios before;

    @BeforeEach
    void startFromTheLaunchersOwn() {
        before = HeapFreeRatios.current().orElseThrow();
        assertThat(OWN.apply()).isTrue();
    }

    @AfterEach
    void putThisJvmsBack() {
        assertThat(before.apply()).isTrue();
    }

    @Test
    void theRatiosAreWideWhileTheFirstLoadRunsAndTheLaunchersOwnOnceItEnds() throws Exception {
        SimpleBooleanProperty loading = new SimpleBooleanProperty(false);

        LoadingHeap heap = LoadingHeap.widenUntilLoaded(WIDE, loading, 3600);
        assertThat(settled(heap)).isEqualTo(WIDE);

        loading.set(true);
        assertThat(settled(heap)).as("still loading").isEqualTo(WIDE);

        loading.set(false);
        assertThat(settled(heap)).isEqualTo(OWN);

        // A later load (another workspace opened) is not widened again.
        loading.set(true);
        loading.set(false);
        assertThat(settled(heap)).isEqualTo(OWN);
    }

    @Test
    void aLoadUnderWayWhenWatchingBeginsEndsTheWideningToo() throws Exception {
        SimpleBooleanProperty loading = new SimpleBooleanProperty(true);

        LoadingHeap heap = LoadingHeap.widenUntilLoaded(WIDE, loading, 3600);
        loading.set(false);
        assertThat(settled(heap)).isEqualTo(OWN);
    }

    @Test
    void whenNoLoadEverEndsTheLaunchersOwnComeBackAfterTheFallback() throws Exception {
        SimpleBooleanProperty loading = new SimpleBooleanProperty(false);

        LoadingHeap heap = LoadingHeap.widenUntilLoaded(WIDE, loading, 1);

        // Widened first (the test above), then put back a second later without any load.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!settled(heap).equals(OWN) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(settled(heap)).isEqualTo(OWN);
    }

    /** The ratios in force once the ratios asked for so far are set. */
    private static HeapFreeRatios settled(LoadingHeap heap) throws Exception {
        heap.settle();
        return HeapFreeRatios.current().orElseThrow();
    }
}
