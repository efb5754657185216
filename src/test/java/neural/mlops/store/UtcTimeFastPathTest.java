package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written paths for stored times give exactly what the formatters give. */
class UtcTimeFastPathTest {

    private static final DateTimeFormatter STORED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formattingAndParsingAgreeWithTheFormattersOverCenturies() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 8_000_000_000L),
                    random.nextInt(1_000_000_000));
            String stored = UtcTime.format(instant);
            assertThat(stored).isEqualTo(STORED.format(instant.truncatedTo(ChronoUnit.MICROS)));
            assertThat(UtcTime.fileStamp(instant)).isEqualTo(STAMP.format(instant));
            assertThat(UtcTime.minute(instant)).isEqualTo(MINUTE.format(instant));
            assertThat(UtcTime.parse(stored)).isEqualTo(instant.truncatedTo(ChronoUnit.MICROS));
        }
    }

    @Test
    void edgesOfTheFastPathsStillFormatAndParse() {
        for (String text : new String[] {"0000-01-01T00:00:00.000000Z", "9999-12-31T23:59:59.999999Z",
            "2024-02-29T12:00:00.000001Z", "1969-12-31T23:59:59.999999Z"}) {
            Instant parsed = UtcTime.parse(text);
            assertThat(UtcTime.format(parsed)).isEqualTo(text);
        }
        Instant farFuture = Instant.parse("+12024-01-01T00:00:00Z");
        assertThat(UtcTime.format(farFuture)).isEqualTo(STORED.format(farFuture));
        assertThat(UtcTime.minute(farFuture)).isEqualTo(MINUTE.format(farFuture));
        assertThat(UtcTime.parse("2024-01-15T12:00:00+02:00")).isEqualTo(Instant.parse("2024-01-15T10:00:00Z"));
        assertThat(UtcTime.parse("2024-01-15T12:00:00.5")).isEqualTo(Instant.parse("2024-01-15T12:00:00.5Z"));
    }

    @Test
    void impossibleDatesInTheStoredFormAreStillRefused() {
        assertThatThrownBy(() -> UtcTime.parse("2023-02-29T12:00:00.000000Z")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> UtcTime.parse("2024-13-01T12:00:00.000000Z")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> UtcTime.parse("2024-01-01T24:00:00.000000Z")).isInstanceOf(InvalidInputException.class);
    }
}
