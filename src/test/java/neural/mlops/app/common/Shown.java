package neural.mlops.app.common;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testfx.api.FxRobot;
import org.testfx.util.NodeQueryUtils;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Waits for a node the user could click: in the scene graph, visible, and in a window that is
 * showing. A dialog's controls exist before its window is shown, so waiting only for the lookup
 * to find them lets a click race the window (the robot then refuses: "no nodes were visible").
 */
public final class Shown {

    private static final long TIMEOUT_SECONDS = 10;

    private Shown() {
    }

    public static void await(FxRobot robot, String query) throws TimeoutException {
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> robot.lookup(query).match(NodeQueryUtils.isVisible()).tryQuery().isPresent());
    }
}
