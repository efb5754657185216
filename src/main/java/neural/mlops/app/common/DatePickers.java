package neural.mlops.app.common;

import java.time.LocalDate;
import javafx.scene.control.DatePicker;
import javafx.util.StringConverter;

/**
 * The date pickers of every screen: days in the one date format of {@link Formats}
 * ("2026-12-04", whatever the locale), wide enough to show a whole date beside the calendar button.
 */
public final class DatePickers {

    private DatePickers() {
    }

    public static DatePicker create(String id, String prompt) {
        DatePicker picker = new DatePicker();
        picker.setId(id);
        picker.setPromptText(prompt);
        picker.setConverter(new StringConverter<>() {
            @Override
            public String toString(LocalDate date) {
                return Formats.date(date);
            }

            @Override
            public LocalDate fromString(String text) {
                return Formats.parseDate(text);
            }
        });
        // A whole date (ten characters) or the prompt, whichever is longer, beside the calendar button.
        double width = Math.max(145, 56 + 9 * prompt.length());
        picker.setPrefWidth(width);
        picker.setMinWidth(width);
        return picker;
    }
}
