package neural.mlops.app.ci;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import neural.mlops.app.ci.CiTemplatesViewModel.Field;
import neural.mlops.ci.Platform;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The CI Templates tab: the platform picker and the parameter form on the left, the live,
 * syntax-coloured preview of the generated file on the right, with Copy and Save As.
 */
public final class CiTemplatesView extends BorderPane {

    private final CiTemplatesViewModel model;
    private final TextFlow code = new TextFlow();

    public CiTemplatesView(CiTemplatesViewModel model) {
        this.model = model;
        getStyleClass().add("ci-view");
        setTop(platformPicker());
        SplitPane split = new SplitPane(form(), preview());
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.42);
        setCenter(split);
    }

    /** The material2 icon standing for each platform. */
    static String icon(Platform platform) {
        return switch (platform) {
            case GITHUB -> "mdal-code";
            case GITLAB -> "mdmz-merge_type";
            case JENKINS -> "mdal-build";
            case AZURE -> "mdal-cloud";
        };
    }

    private HBox platformPicker() {
        Label title = new Label("CI/CD pipeline");
        title.getStyleClass().add("title-4");
        ToggleGroup group = new ToggleGroup();
        HBox buttons = new HBox(6);
        for (Platform platform : Platform.values()) {
            FontIcon icon = new FontIcon(icon(platform));
            icon.setIconSize(22);
            ToggleButton button = new ToggleButton(platform.displayName(), icon);
            button.setId("platform-" + platform.value());
            button.getStyleClass().add("platform-button");
            button.setUserData(platform);
            button.setToggleGroup(group);
            button.setSelected(platform == model.platformProperty().get());
            button.setTooltip(new Tooltip(platform.displayName() + ": saved as " + platform.conventionalPath()));
            buttons.getChildren().add(button);
        }
        group.selectedToggleProperty().addListener((observable, old, selected) -> {
            if (selected == null) {
                old.setSelected(true); // one platform is always chosen
                return;
            }
            model.platformProperty().set((Platform) selected.getUserData());
        });
        HBox bar = new HBox(16, title, buttons);
        bar.getStyleClass().add("toolbar-row");
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    private Node form() {
        GridPane grid = new GridPane();
        grid.setId("ci-form");
        grid.setHgap(10);
        grid.setVgap(4);
        grid.setPadding(new Insets(10));
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(150);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().setAll(labels, fields);
        int row = 0;
        for (Field field : model.fields()) {
            Label label = new Label(field.label() + ":");
            Tooltip help = new Tooltip(field.parameter().description() + "\n" + field.parameter().type().rule()
                    + "\nDefault: " + (field.parameter().defaultValue().isEmpty() ? "(empty)" : field.parameter().defaultValue()));
            help.setWrapText(true);
            help.setMaxWidth(420);
            label.setTooltip(help);
            Node input;
            if (field.isBoolean()) {
                CheckBox box = new CheckBox();
                box.setId("ci-" + field.parameter().name());
                box.setSelected(Boolean.parseBoolean(field.valueProperty().get()));
                box.selectedProperty().addListener((observable, old, selected) -> field.valueProperty().set(String.valueOf(selected)));
                field.valueProperty().addListener((observable, old, value) -> box.setSelected(Boolean.parseBoolean(value)));
                input = box;
            } else {
                TextField text = new TextField();
                text.setId("ci-" + field.parameter().name());
                text.setPromptText(field.parameter().type().rule());
                text.textProperty().bindBidirectional(field.valueProperty());
                text.setTooltip(help);
                field.problemProperty().addListener((observable, old, problem) -> {
                    text.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("danger"), problem != null);
                });
                input = text;
            }
            Label problem = new Label();
            problem.getStyleClass().addAll("danger", "text-small");
            problem.setWrapText(true);
            problem.textProperty().bind(Bindings.createStringBinding(() -> field.problemProperty().get() == null ? ""
                    : field.problemProperty().get(), field.problemProperty()));
            problem.visibleProperty().bind(field.problemProperty().isNotNull());
            problem.managedProperty().bind(problem.visibleProperty());
            grid.add(label, 0, row);
            grid.add(input, 1, row++);
            grid.add(problem, 1, row++);
        }
        Button reset = new Button("Reset to Defaults", new FontIcon("mdmz-restore"));
        reset.setId("ci-reset");
        reset.setOnAction(event -> model.resetToDefaults());
        grid.add(reset, 1, row);
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setMinWidth(360);
        return scroll;
    }

    private Node preview() {
        Label path = new Label();
        path.setId("ci-path");
        path.getStyleClass().add("mono");
        path.textProperty().bind(Bindings.createStringBinding(model::conventionalPath, model.platformProperty()));
        Button copy = new Button("Copy", new FontIcon("mdal-content_copy"));
        copy.setId("ci-copy");
        copy.setTooltip(new Tooltip("Copy the pipeline to the clipboard"));
        copy.setOnAction(event -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(model.previewProperty().get());
            Clipboard.getSystemClipboard().setContent(content);
        });
        copy.disableProperty().bind(model.canSaveProperty().not());
        Button save = new Button("Save As...", new FontIcon("mdmz-save"));
        save.setId("ci-save");
        save.setOnAction(event -> model.saveAs());
        save.disableProperty().bind(model.canSaveProperty().not());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, new FontIcon("mdal-description"), path, spacer, copy, save);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8, 10, 8, 10));

        Label problem = new Label();
        problem.setId("ci-problem");
        problem.getStyleClass().add("danger");
        problem.setWrapText(true);
        problem.setPadding(new Insets(0, 10, 6, 10));
        problem.textProperty().bind(Bindings.createStringBinding(() -> model.problemProperty().get() == null ? ""
                : "Not generated: " + model.problemProperty().get(), model.problemProperty()));
        problem.visibleProperty().bind(model.problemProperty().isNotNull());
        problem.managedProperty().bind(problem.visibleProperty());
        Label status = new Label();
        status.getStyleClass().add("text-muted");
        status.setPadding(new Insets(0, 10, 6, 10));
        status.textProperty().bind(model.statusProperty());
        status.visibleProperty().bind(model.statusProperty().isNotEmpty());
        status.managedProperty().bind(status.visibleProperty());

        code.setId("ci-preview");
        code.getStyleClass().add("code-view");
        render(model.previewProperty().get());
        model.previewProperty().addListener((observable, old, text) -> render(text));
        ScrollPane scroll = new ScrollPane(code);
        // Code does not wrap: long lines scroll sideways, as in an editor.
        scroll.setFitToWidth(false);
        scroll.setFitToHeight(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        return new VBox(bar, problem, status, scroll);
    }

    /** Colours the file line by line with the tiny tokenizer (YAML, or Groovy for Jenkins). */
    private void render(String text) {
        boolean yaml = model.platformProperty().get().yaml();
        List<Node> nodes = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            for (CodeTokens.Token token : CodeTokens.line(line, yaml)) {
                Text piece = new Text(token.text());
                piece.getStyleClass().add("code-" + token.kind().name().toLowerCase(java.util.Locale.ROOT));
                nodes.add(piece);
            }
            nodes.add(new Text("\n"));
        }
        code.getChildren().setAll(nodes);
    }

    /** The preview's plain text, as shown (tests). */
    String previewText() {
        StringBuilder text = new StringBuilder();
        code.getChildren().forEach(node -> text.append(((Text) node).getText()));
        return text.toString();
    }
}
