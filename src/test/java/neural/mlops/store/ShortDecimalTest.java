package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bytes written for short decimals are exactly {@link Double#toString}'s, and the rest is left to it. */
class ShortDecimalTest {

    @Test
    void metricsAsPeopleWriteThemAreWrittenAsDoubleToStringWritesThem() {
        for (double value : new double[] {0.9234, 11.7254, 0.001, 0.5, -0.5, 12.0, -3.0, 1.0, 9_999_999.0,
            9_999_999.5, 0.0015, 123_456.789, 0.001234567890123, 1.1, 2.675}) {
            assertThat(text(value)).as("%s", value).isEqualTo(Double.toString(value));
        }
    }

    @Test
    void valuesOutsideThePlainRangeOrWithoutAShortDecimalAreLeftToDoubleToString() {
        for (double value : new double[] {0.0, -0.0, 0.000999, 1e-3 - 1e-18, 1e7, -1e7, 1.5e300, Double.MIN_VALUE,
            0.1 + 0.2, 0.1 + 0.7, Math.PI, 1.0 / 3, 2.0 / 3 * 1000, Math.nextUp(1.0), Math.nextDown(0.5)}) {
            assertThat(text(value)).as("%s", value).isNull();
        }
    }

    @Test
    void everyDecimalOfUpToSixDigitsAtEveryScaleAgreesWithDoubleToString() {
        int written = 0;
        for (int fractionDigits = 0; fractionDigits <= 9; fractionDigits++) {
            double scale = Math.pow(10, fractionDigits);
            for (int digits = 1; digits < 1_000_000; digits++) {
                double value = digits / scale;
                String text = text(value);
                if (value >= 1e-3) {
                    assertThat(text).as("%s", value).isEqualTo(Double.toString(value));
                    written++;
                } else {
                    assertThat(text).as("%s", value).isNull();
                }
            }
        }
        assertThat(written).isGreaterThan(7_000_000);
    }

    @Test
    void longerDecimalsAndArbitraryDoublesAgreeWithDoubleToStringOrAreLeftToIt() {
        Random random = new Random(42);
        int written = 0;
        for (int i = 0; i < 600_000; i++) {
            double value = switch (i % 3) {
                case 0 -> random.nextLong(1_000_000_000_000_000L) / Math.pow(10, 1 + random.nextInt(15));
                case 1 -> Double.longBitsToDouble(random.nextLong());
                default -> (random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(11) - 4);
            };
            String text = text(value);
            if (text != null) {
                assertThat(text).as("%s", value).isEqualTo(Double.toString(value));
                written++;
            }
        }
        assertThat(written).isGreaterThan(100_000);
    }

    @Test
    void theTextGoesWhereItIsAskedAndNoFurther() {
        byte[] bytes = new byte[4 + ShortDecimal.MAX_LENGTH];
        int end = ShortDecimal.write(-0.001234567890123, bytes, 4);
        assertThat(new String(bytes, 4, end - 4, StandardCharsets.US_ASCII)).isEqualTo("-0.001234567890123");
        assertThat(end - 4).isLessThanOrEqualTo(ShortDecimal.MAX_LENGTH);
        assertThat(bytes[0]).isZero();
    }

    /** What {@link ShortDecimal#write} writes for {@code value}, or null when it leaves it. */
    private static String text(double value) {
        byte[] bytes = new byte[ShortDecimal.MAX_LENGTH];
        int end = ShortDecimal.write(value, bytes, 0);
        return end < 0 ? null : new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}
