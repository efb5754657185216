package neural.mlops.app.common;

import java.util.function.Function;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.util.StringConverter;

/** Filter boxes whose first entry, null, means "any": how they read and show. Every filter box is made here. */
public final class ComboBoxes {

    private ComboBoxes() {
    }

    /** Reads {@code nullText} for null ("Any status") and {@code text} for the rest. */
    public static <T> StringConverter<T> nullable(String nullText, Function<T, String> text) {
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return value == null ? nullText : text.apply(value);
            }

            @Override
            public T fromString(String string) {
                return null;
            }
        };
    }

    /** A filter box of {@code values} with null first, shown as {@code nullText}. */
    public static <T> void anyOf(ComboBox<T> box, String nullText, Function<T, String> text) {
        box.setConverter(nullable(nullText, text));
        box.setPromptText(nullText);
        // A plain ComboBox's button goes blank for a null value once its items are replaced.
        box.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(box.getConverter().toString(item));
            }
        });
    }

    /**
     * A filter box over {@code choices}, which a reload may replace at any time: null first, shown
     * as {@code nullText}; the chosen value stays chosen while it is still among the choices.
     */
    public static <T> void anyOf(ComboBox<T> box, String nullText, Function<T, String> text, ObservableList<T> choices) {
        anyOf(box, nullText, text);
        Runnable fill = () -> {
            T keep = box.getValue();
            box.getItems().setAll(choices);
            box.getItems().add(0, null);
            box.setValue(choices.contains(keep) ? keep : null);
        };
        fill.run();
        choices.addListener((ListChangeListener<T>) change -> fill.run());
    }
}
