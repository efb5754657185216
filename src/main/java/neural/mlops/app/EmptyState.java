package neural.mlops.app;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** The honest empty state of a tab: what is missing and the button that fixes it. */
final class EmptyState extends VBox {

    EmptyState(String headline, String hint, String actionText, Runnable action) {
        super(12);
        getStyleClass().add("empty-state");
        setAlignment(Pos.CENTER);
        Label title = new Label(headline);
        title.getStyleClass().add("title-3");
        Label detail = new Label(hint);
        detail.getStyleClass().add("text-muted");
        detail.setWrapText(true);
        Button button = new Button(actionText);
        button.getStyleClass().add("accent");
        button.setOnAction(event -> action.run());
        getChildren().addAll(title, detail, button);
    }
}
