package neural.mlops;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The heap's free ratios for a command, when the launcher names them. The installed launcher's
 * options are the desktop's (packaging/app-image.txt): the serial collector keeping 10-30% of the
 * heap free, so that an hour of use stays near its live data. A command lives for seconds and reads
 * in bursts: listing 100,000 versions decodes them all at once, and growing the heap 10% at a time
 * took dozens of full collections (3.3 s, against 2.3 s with 40-70%, the same resident memory; a
 * year's export kept its 160-170 MB). The launcher passes {@code -Dneural.mlops.commandHeapFreeRatios=40,70};
 * both ratios are manageable flags, set here as a command starts.
 */
final class CommandHeap {

    static final String PROPERTY = "neural.mlops.commandHeapFreeRatios";

    private CommandHeap() {
    }

    /**
     * Sets the ratios {@link #PROPERTY} names, on a thread of its own: starting the JVM's management
     * takes some 25 ms, which the command does not wait for. Nothing is set when the property is
     * absent, malformed or refused; the command runs as it would have.
     */
    static void widen() {
        widen(System.getProperty(PROPERTY));
    }

    /** Sets {@code ratios} ("MIN,MAX", percents, MIN at most MAX); the thread setting them, or null when there is nothing to set. */
    static Thread widen(String ratios) {
        if (ratios == null || !ratios.matches("\\d{1,3},\\d{1,3}")) {
            return null;
        }
        String[] minAndMax = ratios.split(",");
        int min = Integer.parseInt(minAndMax[0]);
        int max = Integer.parseInt(minAndMax[1]);
        if (min > max || max > 100) {
            return null;
        }
        Thread setter = new Thread(() -> set(minAndMax[0], minAndMax[1]), "command-heap");
        setter.setDaemon(true);
        setter.start();
        return setter;
    }

    private static void set(String min, String max) {
        try {
            HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            // The JVM keeps the minimum at or below the maximum at every step: raise the maximum first.
            flags.setVMOption("MaxHeapFreeRatio", max);
            flags.setVMOption("MinHeapFreeRatio", min);
        } catch (RuntimeException refused) {
            // A JVM without these flags, or ratios it will not take: the launcher's own stay in force.
        }
    }
}
