package neural.mlops.app.common;

/**
 * Holds back a view model's loads while its tab has not been shown, and runs the one it missed
 * when the tab is: a large workspace is not read at startup for a tab nobody has opened. Open
 * unless closed. Used on the FX thread only.
 */
public final class LoadGate {

    private boolean open = true;
    private boolean missed;

    /** True when a load may run now; otherwise remembers that one was asked for and returns false. */
    public boolean admit() {
        if (open) {
            return true;
        }
        missed = true;
        return false;
    }

    /** Opens or closes the gate; opening runs {@code load} when a load was held back meanwhile. */
    public void setOpen(boolean isOpen, Runnable load) {
        open = isOpen;
        if (open && missed) {
            missed = false;
            load.run();
        }
    }
}
