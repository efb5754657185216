package neural.mlops.app.registry;

import static neural.mlops.app.common.DetailsPane.fact;
import static neural.mlops.app.common.DetailsPane.grid;
import static neural.mlops.app.common.DetailsPane.key;
import static neural.mlops.app.common.DetailsPane.muted;
import static neural.mlops.app.common.DetailsPane.section;
import static neural.mlops.app.common.DetailsPane.titlePart;

import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import neural.mlops.app.common.Badge;
import neural.mlops.app.common.Formats;
import neural.mlops.registry.Alias;
import neural.mlops.registry.ArtifactCheck;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.StageTransition;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The details pane of the selected version: metadata, metrics, tags, description, artifact with a
 * Verify action and what the file holds ({@link ArtifactSection}), config.yaml, and the stage
 * history as a timeline; headed by the selected model's own description, tags and operations
 * ({@link ModelHeaderView}), with the inline edit of the version ({@link EditableDetails}).
 */
final class VersionDetailsView extends ScrollPane {

    private final RegistryViewModel model;
    private final VBox content = new VBox(14);
    private final Label artifactStatus = new Label();
    private final TextArea config = new TextArea();
    private final ArtifactSection artifactSection;
    private final ModelHeaderView modelHeader;
    private final EditableDetails versionEdit;

    VersionDetailsView(RegistryViewModel model) {
        this.model = model;
        setId("version-details");
        setFitToWidth(true);
        content.getStyleClass().add("details-pane");
        content.setPadding(new Insets(12));
        setContent(content);
        setMinWidth(240);

        config.setEditable(false);
        config.getStyleClass().add("mono");
        config.setPrefRowCount(6);
        config.textProperty().bind(model.configTextProperty());
        artifactSection = new ArtifactSection(model);
        modelHeader = new ModelHeaderView(model.modelHeader());
        versionEdit = new EditableDetails(model.versionEditor(), () -> model.selectedVersionProperty().get(), "");

        model.selectedVersionProperty().addListener((observable, old, version) -> show(version));
        // The links arrive after the version (workspace.yaml is read in the background).
        model.lineage().templatesProperty().addListener((observable, old, links) -> show(model.selectedVersionProperty().get()));
        model.aliases().aliases().addListener((ListChangeListener<Alias>)
                change -> show(model.selectedVersionProperty().get()));
        model.artifactCheckProperty().addListener((observable, old, check) -> showCheck(check));
        show(null);
    }

    private void show(ModelVersion version) {
        content.getChildren().setAll(modelHeader);
        if (version == null) {
            Label empty = new Label("Select a version to see its details.");
            empty.getStyleClass().add("text-muted");
            content.getChildren().add(empty);
            return;
        }
        // Name, version and stage break between each other, never inside a name: a name wider than
        // the pane makes the pane scroll sideways instead.
        FlowPane heading = new FlowPane(8, 4, titlePart(version.name()), titlePart(version.version()),
                new Badge(version.stage().value()));
        heading.setId("details-title");
        heading.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        GridPane facts = grid();
        int row = 0;
        row = fact(facts, row, "Framework", version.framework());
        row = fact(facts, row, "Created by", version.createdBy());
        row = fact(facts, row, "Created", Formats.localMinute(version.createdAt()));
        row = fact(facts, row, "Updated", Formats.localMinute(version.updatedAt()));
        LineageFacts.add(facts, row, version, model.lineage());

        Button lineageGraph = new Button("Lineage", new FontIcon("mdal-account_tree"));
        lineageGraph.setId("lineage-button");
        lineageGraph.setTooltip(new Tooltip("The model's versions as a parent graph"));
        lineageGraph.setOnAction(event -> new LineageView(model.lineage()).show(getScene().getWindow()));
        content.getChildren().addAll(heading, facts, lineageGraph);
        if (model.lineage().linksProblemProperty().get() != null) {
            content.getChildren().add(muted("Lineage links are off: " + model.lineage().linksProblemProperty().get()));
        }
        content.getChildren().add(versionEdit);

        Button setAlias = new Button("Set alias...", new FontIcon("mdal-label"));
        setAlias.setId("details-set-alias");
        setAlias.setOnAction(event -> RegistryView.openSetAlias(this, model));
        HBox aliases = new HBox(6, AliasChips.of(model.aliases(), version), setAlias);
        aliases.setId("details-aliases");
        aliases.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        content.getChildren().addAll(section("Aliases"), aliases);

        if (!version.description().isBlank()) {
            Label description = new Label(version.description());
            description.setWrapText(true);
            content.getChildren().addAll(section("Description"), description);
        }

        GridPane metrics = grid();
        int metricRow = 0;
        for (Map.Entry<String, Double> metric : version.metrics().entrySet()) {
            metricRow = fact(metrics, metricRow, metric.getKey(), VersionFormat.metric(metric.getValue()));
        }
        content.getChildren().addAll(section("Metrics"), version.metrics().isEmpty() ? muted("No metrics recorded.") : metrics);

        FlowPane tags = new FlowPane(6, 6);
        version.tags().forEach(tag -> {
            Label chip = new Label(tag);
            chip.getStyleClass().add("tag-chip");
            tags.getChildren().add(chip);
        });
        content.getChildren().addAll(section("Tags"), version.tags().isEmpty() ? muted("No tags.") : tags);

        GridPane artifact = grid();
        int artifactRow = fact(artifact, 0, "File", version.modelFile());
        artifactRow = fact(artifact, artifactRow, "Size", Formats.size(version.modelSizeBytes()));
        Label hash = new Label(version.modelSha256());
        hash.getStyleClass().add("mono");
        hash.setWrapText(true);
        artifact.addRow(artifactRow, key("SHA-256"), hash);
        Button verify = new Button("Verify", new FontIcon("mdmz-verified_user"));
        verify.setId("verify-button");
        verify.setOnAction(event -> model.verifySelected());
        artifactStatus.setWrapText(true);
        showCheck(model.artifactCheckProperty().get());
        content.getChildren().addAll(section("Artifact"), artifact, new HBox(8, verify, artifactStatus),
                artifactSection);

        content.getChildren().addAll(section("config.yaml"), config);
        content.getChildren().addAll(section("Stage history"), timeline(version));
    }

    private void showCheck(ArtifactCheck check) {
        artifactStatus.getStyleClass().removeAll("success", "danger");
        if (check == null) {
            artifactStatus.setText("");
            return;
        }
        artifactStatus.setText(check.status() == ArtifactCheck.Status.INTACT ? "Intact: the hash matches."
                : check.status().value() + ": " + check.message());
        artifactStatus.getStyleClass().add(check.ok() ? "success" : "danger");
    }

    private Node timeline(ModelVersion version) {
        VBox items = new VBox(8);
        items.setId("stage-history");
        if (version.stageHistory().isEmpty()) {
            return muted("No stage changes recorded.");
        }
        for (int i = version.stageHistory().size() - 1; i >= 0; i--) {
            StageTransition transition = version.stageHistory().get(i);
            HBox stages = new HBox(6);
            if (transition.from() != null) {
                stages.getChildren().addAll(new Badge(transition.from().value()), new Label("\u2192"));
            }
            stages.getChildren().add(new Badge(transition.to().value()));
            Label when = new Label(Formats.localMinute(transition.at()) + (transition.by().isEmpty() ? "" : " by " + transition.by()));
            when.getStyleClass().addAll("text-muted", "text-small");
            VBox item = new VBox(2, stages, when);
            if (!transition.reason().isEmpty()) {
                Label reason = new Label("\u201c" + transition.reason() + "\u201d");
                reason.setWrapText(true);
                item.getChildren().add(reason);
            }
            item.getStyleClass().add("timeline-item");
            items.getChildren().add(item);
        }
        return items;
    }
}
