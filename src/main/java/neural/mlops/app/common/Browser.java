package neural.mlops.app.common;

import java.net.URI;

/**
 * The desktop's web browser, as view models see it: they hand it an address and never touch
 * JavaFX's HostServices themselves, so a test observes the address instead of opening a browser.
 */
public interface Browser {

    /** No browser: every address is refused with a message that says so (a window built without the application). */
    Browser NONE = address -> {
        throw new IllegalStateException("No desktop browser is available to this window; copy the address "
                + address + " instead");
    };

    /** Opens {@code address} (an http or https address) in the desktop browser. */
    void open(URI address);
}
