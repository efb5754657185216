package neural.mlops.app.deployments;

import static neural.mlops.app.common.DetailsPane.fact;
import static neural.mlops.app.common.DetailsPane.grid;
import static neural.mlops.app.common.DetailsPane.key;
import static neural.mlops.app.common.DetailsPane.muted;
import static neural.mlops.app.common.DetailsPane.section;
import static neural.mlops.app.common.DetailsPane.titlePart;

import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import neural.mlops.app.common.Badge;
import neural.mlops.app.common.Formats;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.HealthCheck;
import neural.mlops.deployment.StatusChange;
import neural.mlops.registry.ModelStage;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The details pane of the selected deployment: what it serves and where, its version's stage in
 * the registry (with a warning when an archived version is still active), the deployment it
 * replaced and the one that replaced it (links that select them), the last health probe with its
 * error, and its history: every status change with who, when and why, newest first.
 */
final class DeploymentDetailsView extends ScrollPane {

    private final DeploymentsViewModel model;
    private final VBox content = new VBox(12);

    DeploymentDetailsView(DeploymentsViewModel model) {
        this.model = model;
        setId("deployment-details");
        setFitToWidth(true);
        content.getStyleClass().add("details-pane");
        content.setPadding(new Insets(12));
        setContent(content);
        setMinWidth(240);
        Runnable redraw = () -> show(model.selectedProperty().get());
        model.selectedProperty().addListener((observable, old, current) -> redraw.run());
        model.replacedProperty().addListener((observable, old, current) -> redraw.run());
        model.replacedByProperty().addListener((observable, old, current) -> redraw.run());
        model.versionStageProperty().addListener((observable, old, current) -> redraw.run());
        model.stageWarningProperty().addListener((observable, old, current) -> redraw.run());
        model.health().addListener((MapChangeListener<String, HealthCheck>) change -> redraw.run());
        redraw.run();
    }

    private void show(Deployment deployment) {
        content.getChildren().clear();
        if (deployment == null) {
            content.getChildren().add(muted("Select a deployment to see its history, health and what it replaced."));
            return;
        }
        FlowPane heading = new FlowPane(8, 4, titlePart(deployment.modelName()), titlePart(deployment.modelVersion()),
                new Badge(deployment.status().value()));
        heading.setId("deployment-details-title");
        heading.setAlignment(Pos.CENTER_LEFT);

        GridPane facts = grid();
        int row = 0;
        row = fact(facts, row, "Environment", deployment.environment());
        row = fact(facts, row, "Endpoint", deployment.endpoint().toString());
        row = fact(facts, row, "Id", deployment.deploymentId());
        row = fact(facts, row, "Created", Formats.localMinute(deployment.createdAt())
                + (deployment.createdBy() == null || deployment.createdBy().isBlank() ? "" : " by " + deployment.createdBy()));
        row = fact(facts, row, "Activated", deployment.activatedAt() == null ? null : Formats.localMinute(deployment.activatedAt()));
        row = fact(facts, row, "Deactivated", deployment.deactivatedAt() == null ? null : Formats.localMinute(deployment.deactivatedAt()));
        // The original module's fail_deployment records why in metadata.failure_reason (SPEC 10).
        fact(facts, row, "Failure reason", deployment.failureReason().orElse(null));
        content.getChildren().addAll(heading, facts);

        content.getChildren().addAll(section("Model version"), stage(deployment));
        content.getChildren().addAll(section("Replaces"), neighbour(deployment.replaces(), model.replacedProperty().get(),
                "replaced-link", "It replaced no deployment."));
        Deployment successor = model.replacedByProperty().get();
        content.getChildren().addAll(section("Replaced by"), neighbour(successor == null ? null : successor.deploymentId(),
                successor, "replaced-by-link", "No deployment replaced it."));
        content.getChildren().addAll(section("Last health probe"), health(deployment));
        content.getChildren().addAll(section("History"), history(deployment));
    }

    private Node stage(Deployment deployment) {
        ModelStage stage = model.versionStageProperty().get();
        VBox box = new VBox(4);
        HBox line = new HBox(8, new Label(deployment.modelName() + " " + deployment.modelVersion()));
        line.setAlignment(Pos.CENTER_LEFT);
        if (stage != null) {
            Badge badge = new Badge(stage.value());
            badge.setId("deployment-version-stage");
            line.getChildren().add(badge);
        }
        box.getChildren().add(line);
        String warning = model.stageWarningProperty().get();
        if (!warning.isEmpty()) {
            Label label = new Label(warning, new FontIcon("mdmz-warning"));
            label.setId("deployment-stage-warning");
            label.getStyleClass().add("severity-warning");
            label.setWrapText(true);
            box.getChildren().add(label);
        }
        return box;
    }

    /** A link that selects the deployment {@code id}; plain text when it is no longer stored. */
    private Node neighbour(String id, Deployment deployment, String linkId, String none) {
        if (id == null) {
            return muted(none);
        }
        if (deployment == null) {
            return muted(id + " (no longer stored)");
        }
        Hyperlink link = new Hyperlink(deployment.modelVersion() + " in " + deployment.environment() + " ("
                + deployment.deploymentId() + "), " + statusText(deployment));
        link.setId(linkId);
        link.setWrapText(true);
        link.setOnAction(event -> model.selectDeployment(deployment.deploymentId()));
        return link;
    }

    private Node health(Deployment deployment) {
        HealthCheck check = model.healthOf(deployment).orElse(null);
        if (check == null) {
            return muted("Never probed. Check Health probes it now.");
        }
        GridPane grid = grid();
        int row = fact(grid, 0, "Result", check.ok() ? "up" : "down");
        row = fact(grid, row, "Checked", Formats.localTime(check.checkedAt()));
        row = fact(grid, row, "Status", check.statusCode() == null ? null : String.valueOf(check.statusCode()));
        row = fact(grid, row, "Latency", check.latencyMs() == null ? null : check.latencyMs() + " ms");
        if (check.error() != null && !check.error().isBlank()) {
            Label error = new Label(check.error());
            error.setId("deployment-health-error");
            error.getStyleClass().add("danger");
            error.setWrapText(true);
            grid.addRow(row, key("Error"), error);
        }
        grid.setId("deployment-health");
        return grid;
    }

    private Node history(Deployment deployment) {
        if (deployment.history().isEmpty()) {
            return muted("No status change recorded.");
        }
        VBox items = new VBox(8);
        items.setId("deployment-history");
        for (int i = deployment.history().size() - 1; i >= 0; i--) {
            StatusChange change = deployment.history().get(i);
            Label when = new Label(Formats.localMinute(change.at())
                    + (change.by() == null || change.by().isBlank() ? "" : " by " + change.by()));
            when.getStyleClass().add("text-muted");
            HBox line = new HBox(8, new Badge(change.status().value()), when);
            line.setAlignment(Pos.CENTER_LEFT);
            Label reason = change.reason() == null || change.reason().isBlank() ? muted("No reason given.")
                    : new Label("\u201c" + change.reason() + "\u201d");
            reason.setWrapText(true);
            VBox item = new VBox(2, line, reason);
            item.getStyleClass().add("timeline-item");
            items.getChildren().add(item);
        }
        return items;
    }

    /** A status as people write it: "rolled back", not "rolled_back". */
    static String statusText(Deployment deployment) {
        return deployment.status().value().replace('_', ' ');
    }
}
