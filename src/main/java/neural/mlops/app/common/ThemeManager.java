package neural.mlops.app.common;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.PseudoClass;
import javafx.scene.Scene;

/**
 * Applies the light or dark theme: AtlantaFX's Primer user-agent stylesheet for the controls, our
 * {@code app.css} for the shared tokens, and a {@code :dark} pseudo-class for what differs.
 */
public final class ThemeManager {

    private static final PseudoClass DARK = PseudoClass.getPseudoClass("dark");
    private static final String APP_CSS = ThemeManager.class.getResource("/neural/mlops/app/app.css").toExternalForm();

    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(Theme.LIGHT);

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    /** Styles {@code scene} now and whenever the theme changes. */
    public void manage(Scene scene) {
        if (!scene.getStylesheets().contains(APP_CSS)) {
            scene.getStylesheets().add(APP_CSS);
        }
        apply(scene, theme.get());
        theme.addListener((observable, old, current) -> apply(scene, current));
    }

    private static void apply(Scene scene, Theme current) {
        Application.setUserAgentStylesheet(current == Theme.DARK
                ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        if (scene.getRoot() != null) {
            scene.getRoot().pseudoClassStateChanged(DARK, current == Theme.DARK);
        }
    }
}
