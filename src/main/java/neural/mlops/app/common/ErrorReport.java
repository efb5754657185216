package neural.mlops.app.common;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import neural.mlops.store.MlopsException;

/**
 * What the GUI says about a failure (STYLE 13), decided in one place for every dialog and inline
 * message. An expected error (an {@link MlopsException}: bad input, a conflict, a policy refusal)
 * is a message the user can act on and is shown as it is; anything else is a bug or an
 * environment problem, shown with its type (never an empty line) and its stack trace, which also
 * goes to the log.
 *
 * @param error    the failure, unwrapped from the executor's wrappers
 * @param expected true for an {@link MlopsException}
 * @param message  one line for the user, never blank
 */
public record ErrorReport(Throwable error, boolean expected, String message) {

    /** Reads {@code failure}; a wrapper with a cause (ExecutionException and the like) is reported as its cause. */
    public static ErrorReport of(Throwable failure) {
        Throwable error = unwrap(failure);
        boolean expected = error instanceof MlopsException;
        String text = error.getMessage() == null ? "" : error.getMessage().strip();
        String message;
        if (expected) {
            message = text.isEmpty() ? typeName(error) : text;
        } else {
            message = "Unexpected error: " + typeName(error) + (text.isEmpty() ? "" : ": " + text);
        }
        return new ErrorReport(error, expected, message);
    }

    /** The one line to show for {@code failure}, for a view that reports errors inline. */
    public static String describe(Throwable failure) {
        return of(failure).message();
    }

    /** True when the stack trace belongs in the log: every unexpected error, and an expected one with a cause. */
    public boolean worthLogging() {
        return !expected || error.getCause() != null;
    }

    /** The full stack trace, causes included. */
    public String stackTrace() {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    /**
     * The line for a view that reports failures inline (a dialog's error label). An unexpected
     * failure also goes to {@code dialogs} under {@code title}, since a line alone would hide a bug:
     * its trace is logged and can be read there.
     */
    public static String inline(Throwable failure, DialogService dialogs, String title) {
        ErrorReport report = of(failure);
        if (!report.expected()) {
            dialogs.showError(title, failure);
        }
        return report.message();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable error = failure;
        while ((error instanceof ExecutionException || error instanceof CompletionException
                || error instanceof InvocationTargetException) && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    /** The simple name, or the full one for an anonymous class (whose simple name is empty). */
    private static String typeName(Throwable error) {
        String simple = error.getClass().getSimpleName();
        return simple.isEmpty() ? error.getClass().getName() : simple;
    }
}
