package neural.mlops.app.common;

import java.net.URI;
import javafx.application.HostServices;

/** {@link Browser} through the application's HostServices: the operating system's default browser. */
public final class HostBrowser implements Browser {

    private final HostServices services;

    public HostBrowser(HostServices services) {
        this.services = services;
    }

    @Override
    public void open(URI address) {
        services.showDocument(address.toString());
    }
}
