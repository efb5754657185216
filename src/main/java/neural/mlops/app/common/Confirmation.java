package neural.mlops.app.common;

import java.util.Objects;

/**
 * A question before an action that asks for a reason: the title names the actual move, the
 * confirm button says the action ({@code verb}: "Promote to production", "Roll back",
 * "Delete v2.0.0"), and a destructive action (one that takes something away) defaults to Cancel,
 * so that no stray key press carries it out.
 */
public record Confirmation(String title, String header, String message, String verb, boolean destructive) {

    public Confirmation {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(verb, "verb");
    }

    /** An action that adds or moves forward (promote, activate, request). */
    public static Confirmation of(String title, String header, String message, String verb) {
        return new Confirmation(title, header, message, verb, false);
    }

    /** An action that takes something away (delete, roll back, deactivate, reject): Cancel is the default. */
    public static Confirmation destructive(String title, String header, String message, String verb) {
        return new Confirmation(title, header, message, verb, true);
    }
}
