package neural.mlops.store;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * How much of its heap the JVM keeps free, in percent: after a collection the heap grows until at
 * least {@code min} is free and shrinks while more than {@code max} is. The installed launchers
 * run the serial collector at 10-30% (packaging/app-image.txt), which keeps an hour of desktop use
 * near its live data but grows the heap 10% at a time through a burst of reading, each step a full
 * collection; 40-70% takes the same burst in a few. Both are manageable flags, set here while the
 * JVM runs.
 */
public record HeapFreeRatios(int min, int max) {

    /**
     * The system property by which the installed launchers name the ratios for a burst of reading
     * (packaging/app-image.txt): a command's whole life, the desktop's first listing.
     */
    public static final String BURST_PROPERTY = "neural.mlops.commandHeapFreeRatios";

    public HeapFreeRatios {
        if (min < 0 || min > max || max > 100) {
            throw new IllegalArgumentException("heap free ratios must be 0 <= min <= max <= 100, not " + min + "," + max);
        }
    }

    /** The ratios written {@code MIN,MAX} (as the launcher's options give them), or empty when malformed or out of range. */
    public static Optional<HeapFreeRatios> parse(String text) {
        if (text == null || !text.matches("\\d{1,3},\\d{1,3}")) {
            return Optional.empty();
        }
        String[] minAndMax = text.split(",");
        int min = Integer.parseInt(minAndMax[0]);
        int max = Integer.parseInt(minAndMax[1]);
        return min <= max && max <= 100 ? Optional.of(new HeapFreeRatios(min, max)) : Optional.empty();
    }

    /** The ratios the launcher names for a burst of reading ({@link #BURST_PROPERTY}), or empty when it names none. */
    public static Optional<HeapFreeRatios> forBursts() {
        return parse(System.getProperty(BURST_PROPERTY));
    }

    /** The ratios in force in this JVM, or empty when it has no such flags. */
    public static Optional<HeapFreeRatios> current() {
        try {
            HotSpotDiagnosticMXBean flags = flags();
            return Optional.of(new HeapFreeRatios(Integer.parseInt(flags.getVMOption("MinHeapFreeRatio").getValue()),
                    Integer.parseInt(flags.getVMOption("MaxHeapFreeRatio").getValue())));
        } catch (RuntimeException noSuchFlags) {
            return Optional.empty();
        }
    }

    /**
     * Puts these ratios in force; false when the JVM refuses them (no such flags), and the ratios in
     * force stay as they were. The JVM keeps the minimum at or below the maximum at every step, so
     * the minimum is lowered first, then the maximum set, then the minimum.
     */
    public boolean apply() {
        try {
            HotSpotDiagnosticMXBean flags = flags();
            int minNow = Integer.parseInt(flags.getVMOption("MinHeapFreeRatio").getValue());
            flags.setVMOption("MinHeapFreeRatio", String.valueOf(Math.min(minNow, min)));
            flags.setVMOption("MaxHeapFreeRatio", String.valueOf(max));
            flags.setVMOption("MinHeapFreeRatio", String.valueOf(min));
            return true;
        } catch (RuntimeException refused) {
            return false;
        }
    }

    @Override
    public String toString() {
        return min + "," + max;
    }

    private static HotSpotDiagnosticMXBean flags() {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    }
}
