package neural.mlops.app.common;

/** The two themes of SPEC 5. */
public enum Theme {
    LIGHT,
    DARK
}
