package neural.mlops.app.common;

import javafx.scene.Node;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.skin.ScrollPaneSkin;

/**
 * The skin of every scroll pane (app.css, {@code .scroll-pane}): JavaFX's own, with its viewport
 * not cached as a bitmap.
 *
 * <p>JavaFX caches a scroll pane's viewport as an image the size of the viewport, taken from the
 * effects' image pool. Under the software renderer (the usual one on a Linux desktop without
 * accelerated OpenGL) those images are {@code int[]}s in the heap, and when a window closes, the
 * pool keeps the images its scroll panes held: it holds them through soft references that it
 * touches each time it hands out an image, so the JVM never finds them unused. An hour of opening
 * comparisons and reports left tens of window-sized images behind, over 100 MB (issue 23). Without
 * the cache the viewport's content is drawn as any other node is; nothing else changes.
 */
public class UncachedScrollPaneSkin extends ScrollPaneSkin {

    /** The style class JavaFX gives a scroll pane's viewport. */
    static final String VIEWPORT = "viewport";

    public UncachedScrollPaneSkin(ScrollPane control) {
        super(control);
        for (Node child : getChildren()) {
            if (child.getStyleClass().contains(VIEWPORT)) {
                child.setCache(false);
            }
        }
    }
}
