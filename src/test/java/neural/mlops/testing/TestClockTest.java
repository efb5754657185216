package neural.mlops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TestClockTest {

    @Test
    void aClockStandsStillUntilItIsAdvancedOrSet() {
        TestClock clock = TestClock.at("2024-01-15T12:00:00Z");
        assertThat(clock.instant()).isEqualTo(clock.instant()).isEqualTo(Instant.parse("2024-01-15T12:00:00Z"));

        clock.advance(Duration.ofMinutes(5));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2024-01-15T12:05:00Z"));
        clock.set(Instant.parse("2023-12-31T23:59:59Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2023-12-31T23:59:59Z"));
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void aSteppingClockMovesByItsStepBeforeEachReading() {
        TestClock clock = TestClock.stepping(Instant.parse("2024-03-01T09:00:00Z"), Duration.ofSeconds(1));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2024-03-01T09:00:01Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2024-03-01T09:00:02Z"));
        clock.advance(Duration.ofHours(1));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2024-03-01T10:00:03Z"));
    }
}
