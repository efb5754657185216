package neural.mlops.app.common;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.PopupWindow;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A combo box's popup in the dark theme: its window's root paints nothing (it spans the shadow,
 * so a painted root framed every popup), and its list is styled by the dark theme.
 */
@ExtendWith(ApplicationExtension.class)
class PopupThemeTest {

    ComboBox<String> box;

    @Start
    void start(Stage stage) {
        box = new ComboBox<>(); // made on the FX thread, once the toolkit runs
        box.getItems().setAll("Any status", "Active", "Rolled back");
        Scene scene = new Scene(new StackPane(box), 400, 300);
        ThemeManager themes = new ThemeManager();
        themes.manage(scene);
        themes.themeProperty().set(Theme.DARK);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void aComboBoxPopupInTheDarkThemePaintsNoFrameAndADarkList(FxRobot robot) throws Exception {
        robot.interact(box::show);
        WaitForAsyncUtils.waitForFxEvents();
        try {
            PopupWindow popup = Window.getWindows().stream().filter(window -> window instanceof PopupWindow && window.isShowing())
                    .map(PopupWindow.class::cast).findFirst().orElseThrow();
            Region root = (Region) popup.getScene().getRoot();
            robot.interact(root::applyCss);

            assertThat(root.getBackground() == null || root.getBackground().getFills().stream()
                    .allMatch(fill -> fill.getFill() instanceof Color color && color.getOpacity() == 0))
                    .as("the popup's root paints nothing around the list").isTrue();
            Region list = (Region) root.lookup(".list-view");
            assertThat(list).isNotNull();
            Color listBackground = (Color) list.getBackground().getFills().get(list.getBackground().getFills().size() - 1).getFill();
            assertThat(listBackground.getBrightness()).as("the list's background is the dark theme's").isLessThan(0.3);
        } finally {
            robot.interact(box::hide);
        }
    }
}
