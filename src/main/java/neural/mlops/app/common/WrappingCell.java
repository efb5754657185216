package neural.mlops.app.common;

import javafx.scene.control.ContentDisplay;
import javafx.scene.control.TableCell;
import javafx.scene.text.Text;

/**
 * A table cell whose text wraps to the column's width, so a long reason or finding is read whole
 * (the row grows) instead of ending in "...". For tables of a few rows without a fixed cell size.
 */
public final class WrappingCell<S> extends TableCell<S, String> {

    private final Text text = new Text();

    public WrappingCell() {
        // The cell's padding stays outside the text; the fill follows the cell's (theme, selection).
        text.wrappingWidthProperty().bind(widthProperty().subtract(snappedLeftInset() + snappedRightInset() + 12));
        text.fillProperty().bind(textFillProperty());
        text.fontProperty().bind(fontProperty());
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    }

    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        text.setText(empty || item == null ? "" : item);
        setGraphic(empty || item == null ? null : text);
    }
}
