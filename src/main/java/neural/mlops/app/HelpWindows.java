package neural.mlops.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.app.common.WindowSizes;
import neural.mlops.store.BuildInfo;

/**
 * The Help menu's windows: the user guide bundled in the jar (docs/user-guide.md, copied at build
 * time), rendered by {@link MarkdownView}; and About, with the version, the licence and where to
 * find the project and its documents.
 */
final class HelpWindows {

    /** Where the build copies docs/ (see the pom's resources). */
    static final String GUIDE = "/neural/mlops/app/docs/user-guide.md";
    static final String PROJECT_URL = "https://github.com/neural-mlops/neural-mlops";

    private HelpWindows() {
    }

    /** The user guide in a window of its own (F1), or a short note when this build does not bundle it. */
    static Stage showUserGuide(Window owner) {
        String markdown = read(GUIDE);
        if (markdown == null) {
            markdown = "# User guide\n\nThis build does not bundle the user guide. It is docs/user-guide.md in the "
                    + "project, and online at " + PROJECT_URL + ".";
        }
        ScrollPane scroll = new ScrollPane(new MarkdownView(markdown, "/neural/mlops/app/docs/"));
        scroll.setId("user-guide");
        scroll.setFitToWidth(true);
        Button close = new Button("Close");
        close.setCancelButton(true);
        Stage stage = new Stage();
        close.setOnAction(event -> stage.close());
        HBox buttons = new HBox(close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        buttons.setPadding(new Insets(8, 12, 8, 12));
        BorderPane root = new BorderPane(scroll, null, null, buttons, null);
        stage.initOwner(owner);
        stage.setTitle("Neural MLOps User Guide");
        stage.setScene(WindowSizes.scene(root, 960, 760, owner));
        ThemeManager.adopt(stage);
        stage.show();
        return stage;
    }

    /** Help > About: version, licence, links; each link is copied to the clipboard (no browser is assumed). */
    static Stage showAbout(Window owner, String configurationFolder) {
        Label name = new Label("Neural MLOps Desktop");
        name.getStyleClass().add("title-2");
        Label version = new Label("Version " + BuildInfo.version());
        version.setId("about-version");
        Label licence = new Label("Licence: " + BuildInfo.licence() + ". " + BuildInfo.copyright() + ".\n"
                + "Bundled libraries keep their own licences (OpenJFX, ControlsFX, AtlantaFX, Jackson, "
                + "commonmark-java, the AWS SDK ...), listed in the installer's copyright file.");
        licence.setId("about-licence");
        licence.setWrapText(true);
        Label what = new Label("Model registry, deployment tracker, tamper-evident audit trail and CI/CD templates "
                + "for models kept on disk or in a bucket.");
        what.setWrapText(true);
        Label runtime = new Label("Java " + System.getProperty("java.version") + ", JavaFX "
                + System.getProperty("javafx.runtime.version", "?") + "\nPreferences and logs: " + configurationFolder);
        runtime.getStyleClass().add("text-muted");
        runtime.setWrapText(true);
        Label copied = new Label();
        copied.getStyleClass().add("text-muted");
        Hyperlink project = copyLink(PROJECT_URL, copied);
        project.setId("about-project-link");
        Hyperlink guide = new Hyperlink("User guide (F1)");
        guide.setId("about-guide-link");
        guide.setOnAction(event -> showUserGuide(owner));
        Hyperlink docs = copyLink(PROJECT_URL + "/tree/main/docs", copied);

        Stage stage = new Stage();
        Button close = new Button("Close");
        close.setId("about-close");
        close.setDefaultButton(true);
        close.setCancelButton(true);
        close.setOnAction(event -> stage.close());
        HBox buttons = new HBox(close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox root = new VBox(10, name, version, what, licence, new VBox(2, guide, project, docs, copied), runtime, buttons);
        root.setId("about");
        root.setPadding(new Insets(20));
        root.setPrefWidth(560);
        stage.initOwner(owner);
        stage.setTitle("About Neural MLOps");
        stage.setScene(WindowSizes.scene(root, 560, -1, owner));
        ThemeManager.adopt(stage);
        stage.show();
        return stage;
    }

    private static Hyperlink copyLink(String url, Label copied) {
        Hyperlink link = new Hyperlink(url);
        link.setTooltip(new javafx.scene.control.Tooltip("Copy the address"));
        link.setOnAction(event -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(url);
            Clipboard.getSystemClipboard().setContent(content);
            copied.setText("Copied " + url);
        });
        return link;
    }

    private static String read(String resource) {
        try (InputStream in = HelpWindows.class.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
