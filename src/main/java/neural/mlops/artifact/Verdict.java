package neural.mlops.artifact;

import java.util.Locale;

/** What the scan says about loading the file: the closed set stored in a version's artifact block. */
public enum Verdict {
    /** Nothing is imported on loading but the allow list's globals, or the format holds no code at all. */
    SAFE,
    /** Some import is neither on the allow list nor known to be dangerous: a person should look. */
    UNKNOWN,
    /** Loading would import something that runs commands, code or network access. */
    UNSAFE,
    /** The file could not be read within the bounds: nothing is known about it. */
    UNREADABLE;

    /** The verdict as stored and printed: {@code safe}, {@code unknown}, {@code unsafe}, {@code unreadable}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of two verdicts, for a file made of several streams (a zip of pickles). */
    Verdict worst(Verdict other) {
        return rank() >= other.rank() ? this : other;
    }

    private int rank() {
        return switch (this) {
            case SAFE -> 0;
            case UNKNOWN -> 1;
            case UNREADABLE -> 2;
            case UNSAFE -> 3;
        };
    }
}
