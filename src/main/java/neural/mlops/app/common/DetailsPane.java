package neural.mlops.app.common;

import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The parts a details pane is made of, so that the registry's and the deployments' panes read
 * alike: a title piece, a key/value grid whose rows skip empty values, section titles and muted
 * notes.
 */
public final class DetailsPane {

    private DetailsPane() {
    }

    /** A piece of the pane's title; it never shrinks below its text, so a title wraps between pieces, not inside a word. */
    public static Label titlePart(String text) {
        Label part = new Label(text);
        part.getStyleClass().add("title-3");
        part.setMinWidth(Region.USE_PREF_SIZE);
        return part;
    }

    /** A two-column grid: keys at least 90 px wide, values taking the rest. */
    public static GridPane grid() {
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(4);
        ColumnConstraints keys = new ColumnConstraints();
        keys.setMinWidth(90);
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().setAll(keys, values);
        return grid;
    }

    /** Adds {@code key: value} at {@code row} unless the value is empty; returns the next free row. */
    public static int fact(GridPane grid, int row, String key, String value) {
        if (value == null || value.isBlank()) {
            return row;
        }
        Label text = new Label(value);
        text.setWrapText(true);
        grid.addRow(row, key(key), text);
        return row + 1;
    }

    public static Label key(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("key-label");
        return label;
    }

    public static Label section(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("section-title");
        return label;
    }

    public static Label muted(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("text-muted");
        label.setWrapText(true);
        return label;
    }
}
