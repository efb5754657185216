package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * The cases where the registry's former copy of the fast path and this one were written
     * differently (a day checked against 31 and a caught exception here, against the month's length
     * there): the fast path reads exactly the valid stored form and hands everything else on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T00:00:00.000000Z", "2000-02-29T12:00:00.000000Z", "2024-04-30T23:59:59.999999Z",
        "2024-12-31T00:00:00.000000Z", "0000-02-29T00:00:00.000000Z", "9999-12-31T23:59:59.999999Z"})
    void theFastPathReadsEveryValidStoredTimeAsTheGeneralParserDoes(String text) {
        assertThat(UtcTime.parseStored(text)).isEqualTo(Instant.parse(text));
        assertThat(UtcTime.parse(text)).isEqualTo(UtcTime.parseStored(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29T00:00:00.000000Z", "1900-02-29T00:00:00.000000Z", "2024-04-31T00:00:00.000000Z",
        "2024-01-32T00:00:00.000000Z", "2024-01-00T00:00:00.000000Z", "2024-00-10T00:00:00.000000Z",
        "2024-13-01T00:00:00.000000Z", "2024-01-15T24:00:00.000000Z", "2024-01-15T12:60:00.000000Z",
        "2024-01-15T12:00:60.000000Z", "+024-01-15T12:00:00.000000Z", "2024-+1-15T12:00:00.000000Z",
        "2024-01- 1T12:00:00.000000Z", "2024-01-15T12:00:00.-00000Z", "\u0662024-01-15T12:00:00.000000Z"})
    void impossibleOrMisshapenStoredTimesLeaveTheFastPathAndAreRefused(String text) {
        assertThat(UtcTime.parseStored(text)).isNull();
        assertThatThrownBy(() -> UtcTime.parse(text)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Invalid time");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-15T12:00:00Z", "2024-01-15T12:00:00.123456+01:00", "2024-01-15T12:00:00.123456",
        " 2024-01-15T12:00:00.123456Z"})
    void otherFormsAreLeftToTheGeneralParser(String text) {
        assertThat(UtcTime.parseStored(text)).isNull();
        assertThat(UtcTime.parse(text)).isBetween(Instant.parse("2024-01-15T11:00:00Z"), Instant.parse("2024-01-15T12:00:01Z"));
    }
}
