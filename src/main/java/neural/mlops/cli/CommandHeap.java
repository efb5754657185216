package neural.mlops.cli;

import java.util.Optional;
import neural.mlops.store.HeapFreeRatios;

/**
 * The heap's free ratios for a command, when the launcher names them. The installed launcher's
 * options are the desktop's (packaging/app-image.txt): the serial collector keeping 10-30% of the
 * heap free, so that an hour of use stays near its live data. A command lives for seconds and reads
 * in bursts: listing 100,000 versions decodes them all at once, and growing the heap 10% at a time
 * took dozens of full collections (3.3 s, against 2.3 s with 40-70%, the same resident memory; a
 * year's export kept its 160-170 MB). The launcher passes {@code -Dneural.mlops.commandHeapFreeRatios=40,70};
 * both ratios are manageable flags ({@link HeapFreeRatios}), set here as a command starts. The
 * desktop uses the same ratios while it lists its first registry (neural.mlops.app.LoadingHeap).
 */
public final class CommandHeap {

    static final String PROPERTY = HeapFreeRatios.BURST_PROPERTY;

    private CommandHeap() {
    }

    /**
     * Sets the ratios {@link #PROPERTY} names, on a thread of its own: starting the JVM's management
     * takes some 25 ms, which the command does not wait for. Nothing is set when the property is
     * absent, malformed or refused; the command runs as it would have.
     */
    public static void widen() {
        widen(System.getProperty(PROPERTY));
    }

    /** Sets {@code ratios} ("MIN,MAX", percents, MIN at most MAX); the thread setting them, or null when there is nothing to set. */
    static Thread widen(String ratios) {
        Optional<HeapFreeRatios> wanted = HeapFreeRatios.parse(ratios);
        if (wanted.isEmpty()) {
            return null;
        }
        // Refused (a JVM without these flags): the launcher's own stay in force.
        Thread setter = new Thread(() -> wanted.get().apply(), "command-heap");
        setter.setDaemon(true);
        setter.start();
        return setter;
    }
}
