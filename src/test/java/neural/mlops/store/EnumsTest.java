package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import neural.mlops.audit.EventType;
import neural.mlops.audit.ExportFormat;
import neural.mlops.audit.Outcome;
import neural.mlops.ci.Platform;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.policy.MetricGate;
import neural.mlops.policy.RequestStatus;
import neural.mlops.registry.ModelStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnumsTest {

    @ParameterizedTest
    @ValueSource(strings = {"rolled_back", "ROLLED_BACK", "Rolled_Back", " rolled_back ", "\trolled_back"})
    void aValueIsReadAsStoredOrAsTypedInAnyCaseWithSurroundingSpaces(String text) {
        assertThat(Enums.parse(DeploymentStatus.class, text, "deployment status")).isEqualTo(DeploymentStatus.ROLLED_BACK);
    }

    @Test
    void anUnknownValueIsRefusedInOneFormNamingWhatAndTheValues() {
        assertThatThrownBy(() -> Enums.parse(ModelStage.class, "limbo", "stage"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("Unknown stage 'limbo'; expected one of development, staging, production, archived");
        assertThatThrownBy(() -> Enums.parse(Outcome.class, null, "outcome"))
                .hasMessage("Unknown outcome (none); expected one of success, failure, denied");
        assertThatThrownBy(() -> Enums.parse(ModelStage.class, "stag\ning", "stage"))
                .hasMessageStartingWith("Unknown stage 'stag\\u000aing'");
    }

    @Test
    void everyClosedSetParsesThroughTheOneHelperWithTheSameMessageForm() {
        assertThat(ModelStage.parse("Production")).isEqualTo(ModelStage.PRODUCTION);
        assertThat(EventType.parse("MODEL_PROMOTED")).isEqualTo(EventType.MODEL_PROMOTED);
        assertThat(ExportFormat.parse(" csv")).isEqualTo(ExportFormat.CSV);
        assertThat(RequestStatus.parse("withdrawn")).isEqualTo(RequestStatus.WITHDRAWN);
        assertThat(Platform.parse("GitHub")).isEqualTo(Platform.GITHUB);
        assertThatThrownBy(() -> Platform.parse("travis"))
                .hasMessage("Unknown platform 'travis'; expected one of github, gitlab, jenkins, azure");
        assertThatThrownBy(() -> ExportFormat.parse("xml"))
                .hasMessage("Unknown export format 'xml'; expected one of json, jsonl, csv, yaml");
        assertThatThrownBy(() -> RequestStatus.parse("pending"))
                .hasMessage("Unknown request status 'pending'; expected one of open, approved, rejected, withdrawn");
    }

    @Test
    void aStrictFileReadsAValueOnlyAsWritten() {
        assertThat(Enums.exact(MetricGate.class, "no_worse")).contains(MetricGate.NO_WORSE);
        assertThat(Enums.exact(MetricGate.class, "NO_WORSE")).isEmpty();
        assertThat(Enums.exact(ModelStage.class, " production")).isEmpty();
        assertThat(Enums.exact(ModelStage.class, null)).isEmpty();
    }

    @Test
    void theValuesAreListedInDeclarationOrder() {
        assertThat(Enums.values(MetricGate.class)).containsExactly("no_worse", "better");
    }
}
