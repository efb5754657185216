package neural.mlops.app.common;

import javafx.application.Platform;
import neural.mlops.store.ErrorLog;

/**
 * The application's handler of unexpected errors: an exception nothing caught, on the FX thread or
 * on any other, and a background task's failure that no callback takes. Each is shown through
 * {@link DialogService#showError(String, Throwable)} (which logs the stack trace and shows the
 * type and the trace), never a crash, never silence.
 */
public final class UncaughtErrors implements Thread.UncaughtExceptionHandler {

    static final String TITLE = "Unexpected error";

    private final DialogService dialogs;
    /** True while an error dialog of this handler is open (FX thread only). */
    private boolean showing;

    public UncaughtErrors(DialogService dialogs) {
        this.dialogs = dialogs;
    }

    /** Makes this the handler of the calling thread (call it on the FX thread) and the default of every other. */
    public void install() {
        Thread.currentThread().setUncaughtExceptionHandler(this);
        Thread.setDefaultUncaughtExceptionHandler(this);
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        try {
            // Always later, also on the FX thread: a dialog cannot wait inside a layout or an animation pulse.
            Platform.runLater(() -> show(thread, error));
        } catch (RuntimeException toolkitGone) {
            ErrorLog.append(TITLE + " on thread " + thread.getName(), error);
        }
    }

    private void show(Thread thread, Throwable error) {
        if (showing) {
            // An error repeated while its dialog is open (a broken cell on every pulse) would stack
            // dialogs without end: the later ones go to the log only.
            ErrorLog.append(TITLE + " on thread " + thread.getName() + " (while an error dialog was open)", error);
            return;
        }
        showing = true;
        try {
            dialogs.showError(TITLE, error);
        } catch (RuntimeException | Error dialogFailed) {
            ErrorLog.append(TITLE + " on thread " + thread.getName(), error);
            ErrorLog.append("The error dialog could not be shown", dialogFailed);
        } finally {
            showing = false;
        }
    }
}
