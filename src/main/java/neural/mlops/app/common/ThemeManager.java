package neural.mlops.app.common;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.SetChangeListener;
import javafx.collections.WeakSetChangeListener;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Dialog;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Applies the light or dark theme: AtlantaFX's Primer user-agent stylesheet for the controls, our
 * {@code app.css} for the shared tokens, and a {@code :dark} pseudo-class for what differs. The
 * main window's scene is {@link #manage managed}; every secondary window (a comparison, a report,
 * a dialog) {@link #adopt adopts} its owner's theme, so there is one way a window gets themed.
 */
public final class ThemeManager {

    static final PseudoClass DARK = PseudoClass.getPseudoClass("dark");
    static final String APP_CSS = ThemeManager.class.getResource("/neural/mlops/app/app.css").toExternalForm();
    /** Where an adopted scene keeps its listener: the owner holds it only weakly, so closed windows can go. */
    private static final String FOLLOWER = ThemeManager.class.getName() + ".follower";

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

    /**
     * Gives {@code window}'s scene its owner's theme: the owner's stylesheets (app.css at least)
     * and its {@code :dark} state, followed while both windows live. Call it once the window has
     * its owner and its scene; every secondary window does.
     */
    public static void adopt(Stage window) {
        adopt(window.getScene(), window.getOwner());
    }

    /** {@link #adopt(Stage)} for a dialog, once its owner is set. */
    public static void adopt(Dialog<?> dialog) {
        adopt(dialog.getDialogPane().getScene(), dialog.getOwner());
    }

    private static void adopt(Scene scene, Window owner) {
        if (scene == null) {
            throw new IllegalStateException("A window is themed once it has a scene");
        }
        Scene ownerScene = owner == null ? null : owner.getScene();
        for (String sheet : ownerScene == null ? java.util.List.of(APP_CSS) : ownerScene.getStylesheets()) {
            if (!scene.getStylesheets().contains(sheet)) {
                scene.getStylesheets().add(sheet);
            }
        }
        if (ownerScene == null || ownerScene.getRoot() == null) {
            return;
        }
        Node ownerRoot = ownerScene.getRoot();
        Runnable follow = () -> {
            if (scene.getRoot() != null) {
                scene.getRoot().pseudoClassStateChanged(DARK, ownerRoot.getPseudoClassStates().contains(DARK));
            }
        };
        follow.run();
        SetChangeListener<PseudoClass> listener = change -> follow.run();
        scene.getProperties().put(FOLLOWER, listener);
        ownerRoot.getPseudoClassStates().addListener(new WeakSetChangeListener<>(listener));
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
