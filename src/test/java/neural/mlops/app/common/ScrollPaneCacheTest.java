package neural.mlops.app.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Scroll panes, the plain ones and those inside text areas, do not cache their viewport as an
 * image: the software renderer keeps such images in the heap after their window closes
 * ({@link UncachedScrollPaneSkin}). A scene without the application's style sheet shows what
 * JavaFX does by default.
 */
@ExtendWith(ApplicationExtension.class)
class ScrollPaneCacheTest {

    Scene themed;
    Scene plain;

    @Start
    void start(Stage stage) {
        themed = new Scene(new HBox(new ScrollPane(new Label("content")), new TextArea("text")), 400, 300);
        new ThemeManager().manage(themed);
        plain = new Scene(new HBox(new ScrollPane(new Label("content"))), 400, 300);
        stage.setScene(themed);
        stage.show();
    }

    @Test
    void noViewportIsCachedInTheApplicationsWindows(FxRobot robot) {
        robot.interact(() -> {
            themed.getRoot().applyCss();
            themed.getRoot().layout();
        });
        Set<Node> viewports = themed.getRoot().lookupAll("." + UncachedScrollPaneSkin.VIEWPORT);

        assertThat(viewports).as("the scroll pane's viewport and the text area's").hasSize(2);
        assertThat(viewports).noneMatch(Node::isCache);
        assertThat(themed.getRoot().lookupAll(".scroll-pane"))
                .allMatch(pane -> ((ScrollPane) pane).getSkin() instanceof UncachedScrollPaneSkin);
    }

    @Test
    void javaFxCachesTheViewportWithoutTheApplicationsStyleSheet(FxRobot robot) {
        robot.interact(() -> plain.getRoot().applyCss());

        assertThat(plain.getRoot().lookup("." + UncachedScrollPaneSkin.VIEWPORT).isCache()).isTrue();
    }
}
