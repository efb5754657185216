package neural.mlops.app.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import javafx.scene.Scene;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.control.Dialog;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Checks that a secondary window wears its owner's theme, read from the scene (stylesheets and
 * the root's {@code :dark} state), never from pixels: the owner is switched to dark, the window
 * opened, then the owner switched back to light while the window is open.
 */
public final class ThemeChecks {

    private ThemeChecks() {
    }

    /** Opens a window with {@code open} over {@code owner} and checks that it follows the owner's theme. */
    public static void opensInTheOwnersTheme(FxRobot robot, Stage owner, Callable<Window> open) throws Exception {
        ThemeManager themes = new ThemeManager();
        robot.interact(() -> {
            themes.manage(owner.getScene());
            themes.themeProperty().set(Theme.DARK);
        });
        Window window = WaitForAsyncUtils.asyncFx(open).get();
        WaitForAsyncUtils.waitForFxEvents();
        try {
            Scene scene = window.getScene();
            assertThat(scene.getStylesheets()).as("stylesheets of %s", describe(window)).contains(ThemeManager.APP_CSS);
            assertThat(themeStylesheetOf(scene)).as("the controls' stylesheet of %s", describe(window))
                    .isEqualTo(new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet());
            assertThat(scene.getRoot().getPseudoClassStates()).as(":dark of %s", describe(window)).contains(ThemeManager.DARK);
            assertThat(backgroundBrightness(scene)).as("the background of %s is the dark theme's, not the scene's white fill",
                    describe(window)).isLessThan(0.3);

            robot.interact(() -> themes.themeProperty().set(Theme.LIGHT));

            assertThat(scene.getRoot().getPseudoClassStates()).as(":dark of %s once light", describe(window))
                    .doesNotContain(ThemeManager.DARK);
            assertThat(themeStylesheetOf(scene)).as("the controls' stylesheet of %s once light", describe(window))
                    .isEqualTo(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
            assertThat(backgroundBrightness(scene)).as("the background of %s once light", describe(window))
                    .isGreaterThan(0.7);
        } finally {
            robot.interact(() -> {
                if (window instanceof Stage stage) {
                    stage.close();
                } else {
                    window.hide();
                }
            });
        }
    }

    /**
     * How bright the window's root paints its background (0 black to 1 white), read from the
     * styled scene graph; a root that paints nothing shows the scene's fill.
     */
    static double backgroundBrightness(Scene scene) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            scene.getRoot().applyCss();
            Paint paint = scene.getFill();
            if (scene.getRoot() instanceof Region region && region.getBackground() != null
                    && !region.getBackground().getFills().isEmpty()) {
                paint = region.getBackground().getFills().get(0).getFill();
            }
            return paint instanceof Color color && color.getOpacity() > 0 ? color.getBrightness() : 1.0;
        }).get();
    }

    /**
     * The Primer stylesheet that styles the scene's controls: the scene's own user-agent
     * stylesheet if it has one, else the application's, which every window and popup shares.
     */
    static String themeStylesheetOf(Scene scene) {
        return scene.getUserAgentStylesheet() != null ? scene.getUserAgentStylesheet()
                : javafx.application.Application.getUserAgentStylesheet();
    }

    /** The window of {@code dialog} (which need not be shown: its theme is set when it is built). */
    public static Window windowOf(Dialog<?> dialog) {
        return dialog.getDialogPane().getScene().getWindow();
    }

    /** The window titled {@code title} that is showing now. */
    public static Window showing(String title) {
        return Window.getWindows().stream()
                .filter(window -> window instanceof Stage stage && title.equals(stage.getTitle()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No window titled " + title + " is showing"));
    }

    private static String describe(Window window) {
        return window instanceof Stage stage ? "\"" + stage.getTitle() + "\"" : window.toString();
    }
}
