package neural.mlops.bench;

/**
 * One line of the benchmark table: an operation, its median and its floor (what reading the same
 * files once costs, measured in the same run), the SPEC 7 target and whether it is met.
 *
 * @param unit      "ms" for times and "µs/event" for times per event of a period (lower is better), or
 *                  "events/s" for rates (higher is better)
 * @param median    the median of the timed runs, in {@code unit}
 * @param floor     the floor in the same unit, or NaN when the operation has none
 * @param target    the SPEC 7 target in words, or empty
 * @param met       whether the target is met; null when there is none
 * @param detail    what was measured, in a few words
 */
public record BenchRow(String operation, String unit, double median, double floor, String target, Boolean met,
                       String detail) {

    /** How the operation compares with its floor: time over floor for times, rate over floor rate for rates. */
    public double ratio() {
        return Double.isNaN(floor) || floor == 0 ? Double.NaN : median / floor;
    }
}
