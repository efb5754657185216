package neural.mlops.audit;

/**
 * Follows an export of the audit trail. Called from the exporting thread once before the first
 * day folder and after each day folder (for the JSON format also after every
 * {@value #EVERY_EVENTS} events written; CSV and JSON Lines render a whole day at a time), so a
 * progress bar moves without one call per event. Returning false cancels the export: it then
 * throws {@link ExportCancelledException}, leaves no file at the destination and records no
 * audit event (nothing was exported).
 */
@FunctionalInterface
public interface ExportListener {

    /** How many events are written between two calls inside a day folder. */
    int EVERY_EVENTS = 1000;

    /** Follows nothing and never cancels. */
    ExportListener NONE = (eventsWritten, daysDone, daysTotal) -> true;

    /**
     * @param eventsWritten events written so far
     * @param daysDone      day folders read completely so far
     * @param daysTotal     day folders in the period, so {@code daysDone / daysTotal} is the share done
     * @return true to go on, false to cancel
     */
    boolean onProgress(long eventsWritten, int daysDone, int daysTotal);
}
