package neural.mlops.app.common;

import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Window;

/**
 * The size a secondary window opens at: the size its content wants, cut to the screen its owner
 * is on (less a margin for the window's frame), so that no window opens taller than a 1280x800 or
 * 960x640 screen and hides its bottom buttons.
 */
public final class WindowSizes {

    /** Room for the window manager's title bar and borders. */
    private static final double FRAME = 60;

    private WindowSizes() {
    }

    /** A scene for {@code root} of at most {@code width} x {@code height}, fitting the owner's screen. */
    public static Scene scene(Parent root, double width, double height, Window owner) {
        Rectangle2D screen = screenOf(owner);
        return new Scene(root, Math.min(width, screen.getWidth() - FRAME / 2), Math.min(height, screen.getHeight() - FRAME));
    }

    private static Rectangle2D screenOf(Window owner) {
        if (owner != null) {
            var screens = Screen.getScreensForRectangle(owner.getX(), owner.getY(), Math.max(1, owner.getWidth()),
                    Math.max(1, owner.getHeight()));
            if (!screens.isEmpty()) {
                return screens.get(0).getVisualBounds();
            }
        }
        return Screen.getPrimary().getVisualBounds();
    }
}
