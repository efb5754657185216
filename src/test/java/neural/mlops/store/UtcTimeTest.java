package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UtcTimeTest {

    private final Clock clock = Clock.fixed(Instant.parse("2024-03-31T10:15:30.123456789Z"), ZoneOffset.UTC);

    @Test
    void formatsWithMicrosecondsAndZ() {
        assertThat(UtcTime.format(Instant.parse("2024-01-15T12:00:00.123456789Z"))).isEqualTo("2024-01-15T12:00:00.123456Z");
        assertThat(UtcTime.format(Instant.parse("2024-01-15T12:00:00Z"))).isEqualTo("2024-01-15T12:00:00.000000Z");
    }

    @Test
    void fileStampIsUtc() {
        assertThat(UtcTime.fileStamp(Instant.parse("2024-01-15T23:59:58Z"))).isEqualTo("20240115_235958");
    }

    @Test
    void parsesZOffsetsAndNaiveTimesAsUtc() {
        Instant expected = Instant.parse("2024-01-15T12:00:00Z");
        assertThat(UtcTime.parse("2024-01-15T12:00:00Z")).isEqualTo(expected);
        assertThat(UtcTime.parse("2024-01-15T13:00:00+01:00")).isEqualTo(expected);
        assertThat(UtcTime.parse("2024-01-15T12:00:00")).isEqualTo(expected);
        assertThat(UtcTime.parse("2024-01-15T12:00:00.000001Z")).isEqualTo(expected.plusNanos(1000));
    }

    @Test
    void aWrittenTimeReadsBackEqual() {
        Instant now = UtcTime.now(clock);
        assertThat(UtcTime.parse(UtcTime.format(now))).isEqualTo(now);
    }

    @Test
    void dateArgumentsAcceptDaysTimesAndRelativeSpans() {
        assertThat(UtcTime.parseDateArgument("2024-02-01", clock)).isEqualTo(Instant.parse("2024-02-01T00:00:00Z"));
        assertThat(UtcTime.parseDateArgument("2024-02-01T08:00:00Z", clock)).isEqualTo(Instant.parse("2024-02-01T08:00:00Z"));
        assertThat(UtcTime.parseDateArgument("30d", clock)).isEqualTo(clock.instant().minusSeconds(30L * 86400));
        assertThat(UtcTime.parseDateArgument("12h", clock)).isEqualTo(clock.instant().minusSeconds(12L * 3600));
        assertThat(UtcTime.parseDateArgument("2w", clock)).isEqualTo(clock.instant().minusSeconds(14L * 86400));
    }

    @Test
    void badDatesGetAMessageNamingTheAcceptedForms() {
        assertThatThrownBy(() -> UtcTime.parseDateArgument("yesterday", clock))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'yesterday'")
                .hasMessageContaining("YYYY-MM-DD");
        assertThatThrownBy(() -> UtcTime.parse("15/01/2024")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> UtcTime.parse(" ")).isInstanceOf(InvalidInputException.class);
    }
}
