package neural.mlops.store;

/**
 * A constant of a closed set written as a text value in documents and on the command line
 * ({@code production}, {@code model_promoted}, {@code github}), so that {@link Enums} can read it back.
 */
public interface Valued {

    /** The text this constant is written as. */
    String value();
}
