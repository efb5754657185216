package neural.mlops.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import neural.mlops.store.MlopsException;

/**
 * How a store makes an audited change, in one place (SPEC 3.3, fail-closed): record every event of
 * the change, or throw "nothing was changed"; then commit the store's writes; when the commit
 * fails, record a failure event for each event already recorded (best effort) and rethrow the
 * commit's own error. The registry, the deployment tracker and the governance policy all go
 * through here, so an audited change reads and fails the same way everywhere.
 *
 * <pre>{@code
 * Promotion done = audited.apply("Did not promote fraud_detector v2.0.0", records, () -> commit(batch));
 * }</pre>
 */
public final class AuditedChange {

    private final AuditSink sink;

    public AuditedChange(AuditSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Records {@code records} as one group, then runs {@code commit} and returns what it returns.
     *
     * @param notDone how the refusal starts when the events cannot be recorded ("Did not promote m v1")
     * @throws MlopsException when the events cannot be recorded; nothing was committed then
     */
    public <T> T apply(String notDone, List<AuditRecord> records, Supplier<T> commit) {
        recordOrRefuse(notDone, records);
        try {
            return commit.get();
        } catch (RuntimeException | Error e) {
            recordFailures(records, e);
            throw e;
        }
    }

    /** {@link #apply} for a commit that returns nothing. */
    public void apply(String notDone, List<AuditRecord> records, Runnable commit) {
        apply(notDone, records, () -> {
            commit.run();
            return null;
        });
    }

    /**
     * Records an event that stands whether or not the trail can take it (a refusal: the action is
     * refused either way). Returns why it could not be recorded, for the caller to add to its message.
     */
    public Optional<String> recordRegardless(AuditRecord record) {
        try {
            sink.record(record);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(messageOf(e));
        }
    }

    private void recordOrRefuse(String notDone, List<AuditRecord> records) {
        try {
            sink.recordAll(records);
        } catch (RuntimeException e) {
            throw new MlopsException(notDone + ": the audit trail could not record it (" + messageOf(e)
                    + "); nothing was changed", e);
        }
    }

    /**
     * Records, best effort, that the action of {@code record} (recorded with others by {@link #apply}
     * whose commit went on) could not be written, for {@code failure}: a change whose commit stands
     * but for one part, which the caller carries out again later or leaves undone.
     */
    public void recordFailure(AuditRecord record, RuntimeException failure) {
        recordFailures(List.of(record), failure);
    }

    /** Best effort: each recorded action is followed by its failure; the commit's error is the one the caller sees. */
    private void recordFailures(List<AuditRecord> records, Throwable failure) {
        String why = "the change could not be written: " + messageOf(failure);
        try {
            sink.recordAll(records.stream().map(record -> AuditRecords.failed(record, why)).toList());
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed);
        }
    }

    private static String messageOf(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
