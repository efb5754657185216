package neural.mlops.store;

/**
 * The text {@link Double#toString} gives a double, written as ASCII bytes without making a string,
 * for the doubles it can be sure of: those nearest to a decimal of at most 15 significant digits, in
 * the range {@code Double.toString} writes without an exponent ([0.001, 10,000,000)). Metrics and
 * hyper-parameters are such numbers as people and training scripts write them (0.9234, 11.7254,
 * 0.001). A {@code --json registry list} of 100,000 versions writes half a million of them, and in a
 * new process {@code Double.toString} took 165 ms of that (issue 23: {@code --json} within 1.2 times
 * the text listing).
 *
 * <p>Why the text is the same: in that range {@code Double.toString} writes the integer part, a point,
 * and as few fraction digits as tell the double from its neighbours (at least one). The decimal found
 * here has the fewest fraction digits whose nearest double is the value; no other decimal of at most 15
 * significant digits has the same nearest double, so no other text of that length qualifies. A test
 * compares the two over every decimal of up to six digits and a sample of longer ones.
 */
final class ShortDecimal {

    /** Bytes {@link #write} may need: a sign, a zero, a point and 15 fraction digits. */
    static final int MAX_LENGTH = 18;

    /** Significant digits that any two different decimals keep apart as doubles (C's {@code DBL_DIG}). */
    private static final int MAX_DIGITS = 15;
    /** 10 to the power of the index, up to {@link #MAX_DIGITS}: exact as doubles too (below 2^53). */
    private static final long[] POWERS = new long[MAX_DIGITS + 1];

    static {
        POWERS[0] = 1;
        for (int i = 1; i <= MAX_DIGITS; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    private ShortDecimal() {
    }

    /**
     * Writes {@code value}'s text into {@code bytes} from {@code at}, which has room for
     * {@link #MAX_LENGTH} bytes, and returns the index after it; or returns -1, writing nothing, when
     * {@code value} is not such a decimal (the caller then writes {@code Double.toString}).
     */
    static int write(double value, byte[] bytes, int at) {
        double magnitude = Math.abs(value);
        if (!(magnitude >= 1e-3 && magnitude < 1e7)) {
            return -1;
        }
        for (int fractionDigits = 0; fractionDigits <= MAX_DIGITS; fractionDigits++) {
            double scaled = magnitude * POWERS[fractionDigits];
            if (scaled >= POWERS[MAX_DIGITS]) {
                return -1;
            }
            // Below 10^15 the product is within 0.02 of the decimal's digits: rint finds them if they exist.
            long digits = (long) Math.rint(scaled);
            if (digits / (double) POWERS[fractionDigits] == magnitude) {
                return write(value < 0, digits, fractionDigits, bytes, at);
            }
        }
        return -1;
    }

    private static int write(boolean negative, long digits, int fractionDigits, byte[] bytes, int at) {
        int i = at;
        if (negative) {
            bytes[i++] = '-';
        }
        i = writeDigits(digits / POWERS[fractionDigits], 1, bytes, i);
        bytes[i++] = '.';
        return writeDigits(digits % POWERS[fractionDigits], Math.max(fractionDigits, 1), bytes, i); // 12.0: at least one
    }

    /** {@code number}'s digits, with leading zeros up to {@code width}. */
    private static int writeDigits(long number, int width, byte[] bytes, int at) {
        int count = 1;
        for (long rest = number / 10; rest > 0; rest /= 10) {
            count++;
        }
        count = Math.max(count, width);
        long rest = number;
        for (int i = at + count - 1; i >= at; i--) {
            bytes[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return at + count;
    }
}
