package neural.mlops.app;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableValue;
import neural.mlops.store.DaemonThreads;
import neural.mlops.store.HeapFreeRatios;

/**
 * The desktop's heap while it lists its first registry: the ratios the installed launcher names
 * for a burst of reading ({@link HeapFreeRatios#forBursts}, 40-70% free), then the launcher's own
 * again (10-30%). At 100,000 versions the first listing builds some 250 MB of live data; growing
 * the heap 10% at a time took eight full collections, about a second of the five the listing may
 * take (issue 23 item 1), against three. Afterwards the next full collection gives back what the
 * wider ratios let the heap keep, so an hour of use stays near its live data as before. Run from
 * the jar, with no ratios named, nothing changes.
 */
final class LoadingHeap {

    /** When no load has ended by then (no workspace opened, a registry slow to list), the launcher's ratios are put back anyway. */
    static final long FALLBACK_SECONDS = 60;

    /**
     * One thread reads and sets the flags, in the order asked: starting the JVM's management takes
     * some 25 ms, which the window does not wait for.
     */
    private final ExecutorService setter = DaemonThreads.pool("loading-heap", 1);
    private final AtomicBoolean restored = new AtomicBoolean();
    /** The ratios in force before the widening, read on {@link #setter} just before it; empty until then or when refused. */
    private volatile Optional<HeapFreeRatios> own = Optional.empty();

    private LoadingHeap() {
    }

    /** Widens the heap's ratios, as the launcher names them, until {@code registryLoading} has been true and is false again. */
    static void widenUntilLoaded(ObservableBooleanValue registryLoading) {
        HeapFreeRatios.forBursts().ifPresent(wide -> widenUntilLoaded(wide, registryLoading, FALLBACK_SECONDS));
    }

    /** As above with the ratios given: {@code wide} until the load ends or {@code fallbackSeconds} pass, then those before. */
    static LoadingHeap widenUntilLoaded(HeapFreeRatios wide, ObservableBooleanValue registryLoading, long fallbackSeconds) {
        LoadingHeap heap = new LoadingHeap();
        heap.setter.execute(() -> {
            heap.own = HeapFreeRatios.current();
            heap.own.ifPresent(ignored -> wide.apply());
        });
        boolean[] started = {registryLoading.get()};
        ChangeListener<Boolean> ended = new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends Boolean> observable, Boolean was, Boolean loading) {
                started[0] |= loading;
                if (started[0] && !loading) {
                    registryLoading.removeListener(this);
                    heap.restore();
                }
            }
        };
        registryLoading.addListener(ended);
        CompletableFuture.delayedExecutor(fallbackSeconds, TimeUnit.SECONDS, heap.setter).execute(heap::restore);
        return heap;
    }

    /** Puts the ratios from before the widening back, once, after it (the same single thread runs both in order). */
    void restore() {
        if (restored.compareAndSet(false, true)) {
            setter.execute(() -> own.ifPresent(HeapFreeRatios::apply));
        }
    }

    /** Waits until the ratios asked for so far are set (tests). */
    void settle() throws Exception {
        CompletableFuture.runAsync(() -> { }, setter).get(10, TimeUnit.SECONDS);
    }
}
