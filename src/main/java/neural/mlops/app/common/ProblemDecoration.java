package neural.mlops.app.common;

import javafx.beans.value.ObservableValue;
import javafx.scene.control.Control;
import org.controlsfx.validation.Severity;
import org.controlsfx.validation.ValidationSupport;
import org.controlsfx.validation.Validator;

/**
 * Marks a form field with ControlsFX's error decoration while its view model reports a problem
 * with it: the view model decides what is wrong (and says it in words elsewhere in the dialog),
 * the decoration only shows where.
 */
public final class ProblemDecoration {

    private ProblemDecoration() {
    }

    /** Decorates {@code field} with {@code message} whenever {@code problem} holds a value (not null). */
    public static void mark(ValidationSupport validation, Control field, ObservableValue<String> problem, String message) {
        validation.registerValidator(field, false,
                Validator.createPredicateValidator(value -> problem.getValue() == null, message, Severity.ERROR));
        problem.addListener((observable, old, current) -> validation.revalidate());
    }
}
