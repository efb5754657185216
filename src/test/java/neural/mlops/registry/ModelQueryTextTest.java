package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A search's text matches a field when the field lowered contains the text lowered, whatever the characters. */
class ModelQueryTextTest {

    private static final List<String> FIELDS = List.of("", "Fraud_Detector", "FRAUD", "fraud", "v2.0.0-RC1",
            "Gradient boosting on 40 CRM features", "fr@ud[]{}~\u007f", "K-means", "\u212Aelvin", "\u0130stanbul",
            "stra\u00DFe", "STRASSE", "caf\u00E9", "emoji \ud83d\ude00 fraud", "ab", "aab");

    private static final List<String> NEEDLES = List.of("fraud", "FRAUD", "Fr", "a", "ab", "k", "K", "\u212A",
            "i", "\u0130", "i\u0307", "\u00DF", "ss", "CAF\u00C9", "\ud83d\ude00", "v2.0.0-rc1", "40 crm", "[]{}~",
            "longer than every field of this list", "rc1 ");

    @Test
    void textMatchesExactlyWhenTheLoweredFieldContainsTheLoweredText() {
        for (String field : FIELDS) {
            for (String needle : NEEDLES) {
                boolean expected = field.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
                assertThat(ModelQuery.contains(field, needle)).as("'%s' in '%s'", needle, field).isEqualTo(expected);
            }
        }
    }

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
