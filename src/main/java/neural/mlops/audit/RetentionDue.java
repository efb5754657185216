package neural.mlops.audit;

import java.time.LocalDate;
import java.util.List;

/**
 * What {@code workspace.yaml}'s {@code retention.keep_days} says is due for the archive: the whole
 * days of the trail (UTC days, as the trail's folders are) older than {@code keepDays} that are
 * still online. One archive takes at most {@link AuditLogger#MAX_ARCHIVE_DAYS} days, so
 * {@code days} is the oldest of them and {@code before} the {@code audit archive --before} date
 * that archives exactly those; more remain due after it when {@code olderDays} is larger.
 *
 * @param keepDays  the retention, in days
 * @param olderDays how many days of the trail are older than the retention
 * @param before    the date to archive before (the day after the last of {@code days}); null when nothing is due
 * @param days      the days one archive takes now, oldest first; empty when nothing is due
 */
public record RetentionDue(int keepDays, int olderDays, LocalDate before, List<LocalDate> days) {

    public RetentionDue {
        days = List.copyOf(days);
    }

    /** True when at least one whole day is older than the retention and still in the trail. */
    public boolean due() {
        return !days.isEmpty();
    }

    /** "3 days are older than the 30-day retention"; empty when nothing is due. */
    public String describe() {
        if (!due()) {
            return "";
        }
        return olderDays + (olderDays == 1 ? " day is" : " days are") + " older than the " + keepDays + "-day retention"
                + (olderDays > days.size() ? " (" + days.size() + " go into one archive)" : "");
    }
}
