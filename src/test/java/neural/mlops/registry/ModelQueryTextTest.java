package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A search's text matches a version when any of its text fields contains it, ignoring case. */
class ModelQueryTextTest {

    @Test
    void aSearchFindsAVersionByAnyOfItsTextFieldsInAnyCase() {
        ModelVersion version = new ModelVersion("Fraud_Detector", "v2.0.0", ModelStage.PRODUCTION, "PyTorch", "Alice",
                java.time.Instant.EPOCH, null, "Card transactions", java.util.Map.of("F1_Score", 0.9),
                List.of("Team=Risk"), "model.pt", null, 1, null, null, null, null);

        for (String text : List.of("fraud_DETECTOR", "V2.0", "pytorch", "ALICE", "card TRANS", "team=risk", "f1_score")) {
            assertThat(ModelQuery.all().withText(text).matches(version)).as(text).isTrue();
        }
        assertThat(ModelQuery.all().withText("churn").matches(version)).isFalse();
    }
}
