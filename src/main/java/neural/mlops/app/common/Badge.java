package neural.mlops.app.common;

import java.util.Locale;
import javafx.scene.control.Label;

/**
 * A small coloured pill for a closed set of values (stages, deployment statuses, severities).
 * The colour comes from {@code app.css}: style class {@code badge} plus {@code badge-<value>}, so
 * the light and dark themes each choose their own.
 */
public final class Badge extends Label {

    public Badge(String value) {
        getStyleClass().add("badge");
        // A badge is short: it never truncates; the text beside it gives way instead.
        setMinWidth(USE_PREF_SIZE);
        setValue(value);
    }

    public void setValue(String value) {
        getStyleClass().removeIf(style -> style.startsWith("badge-"));
        if (value == null || value.isBlank()) {
            setText("");
            setVisible(false);
            return;
        }
        setVisible(true);
        String key = value.toLowerCase(Locale.ROOT).replace(' ', '_');
        setText(Formats.words(key));
        getStyleClass().add("badge-" + key.replace('_', '-'));
    }
}
