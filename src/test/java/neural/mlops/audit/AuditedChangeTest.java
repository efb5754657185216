package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import neural.mlops.store.MlopsException;
import org.junit.jupiter.api.Test;

/** The one way an audited change is made: record all or refuse, commit, record the failure. */
class AuditedChangeTest {

    private final List<List<AuditRecord>> groups = new ArrayList<>();
    private boolean refusing;
    private final AuditSink sink = records -> {
        if (refusing) {
            throw new MlopsException(null); // a sink error without a message must still make a sentence
        }
        groups.add(List.copyOf(records));
    };
    private final AuditedChange audited = new AuditedChange(sink);
    private final AuditRecord promoted = AuditRecords.stageChanged("alice", "m:1", "promote", "staging", "production", "go");
    private final AuditRecord archived = AuditRecords.stageChanged("alice", "m:0", "archive", "production", "archived",
            "superseded by 1 in production");

    @Test
    void theEventsOfOneChangeAreRecordedAsOneGroupBeforeTheCommit() {
        List<String> order = new ArrayList<>();

        String result = audited.apply("Did not promote m 1", List.of(promoted, archived), () -> {
            order.add("commit after " + groups.size() + " group");
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(order).containsExactly("commit after 1 group");
        assertThat(groups).containsExactly(List.of(promoted, archived));
    }

    @Test
    void whenTheEventsCannotBeRecordedNothingIsCommittedAndTheMessageSaysSo() {
        refusing = true;
        AtomicBoolean committed = new AtomicBoolean();

        assertThatThrownBy(() -> audited.apply("Did not promote m 1", List.of(promoted), () -> committed.set(true)))
                .isInstanceOf(MlopsException.class)
                .hasMessage("Did not promote m 1: the audit trail could not record it (MlopsException); nothing was changed")
                .hasCauseInstanceOf(MlopsException.class);
        assertThat(committed).isFalse();
    }

    @Test
    void aFailedCommitIsFollowedByAFailureEventForEachRecordedEventAndItsOwnErrorIsRethrown() {
        IllegalStateException diskFull = new IllegalStateException("No space left on device");

        assertThatThrownBy(() -> audited.apply("Did not promote m 1", List.of(promoted, archived), () -> {
            throw diskFull;
        })).isSameAs(diskFull);

        assertThat(groups).hasSize(2);
        assertThat(groups.get(1)).extracting(AuditRecord::outcome).containsExactly(Outcome.FAILURE, Outcome.FAILURE);
        assertThat(groups.get(1)).extracting(AuditRecord::severity).containsOnly(EventSeverity.ERROR);
        assertThat(groups.get(1)).extracting(AuditRecord::reason)
                .containsOnly("the change could not be written: No space left on device");
        assertThat(groups.get(1)).extracting(AuditRecord::action).containsExactly("promote", "archive");
    }

    @Test
    void aFailureEventThatCannotBeRecordedIsKeptWithTheCommitError() {
        IllegalStateException diskFull = new IllegalStateException("No space left on device");
        AuditedChange failingLater = new AuditedChange(records -> {
            if (records.get(0).outcome() == Outcome.FAILURE) {
                throw new MlopsException("trail gone");
            }
        });

        assertThatThrownBy(() -> failingLater.apply("Did not promote m 1", List.of(promoted), () -> {
            throw diskFull;
        })).isSameAs(diskFull);
        assertThat(diskFull.getSuppressed()).extracting(Throwable::getMessage).containsExactly("trail gone");
    }

    @Test
    void aRefusalIsRecordedRegardlessAndSaysWhyWhenTheTrailCannotTakeIt() {
        AuditRecord refusal = AuditRecords.accessDenied("bob", AuditRecords.MODEL, "m:1", "promote", "not an approver",
                "production", null);

        assertThat(audited.recordRegardless(refusal)).isEmpty();
        refusing = true;
        assertThat(audited.recordRegardless(refusal)).contains("MlopsException");
        assertThat(groups).containsExactly(List.of(refusal));
    }
}
