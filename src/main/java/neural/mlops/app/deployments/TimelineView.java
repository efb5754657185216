package neural.mlops.app.deployments;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import neural.mlops.app.common.Formats;
import neural.mlops.app.deployments.DeploymentsViewModel.TimelineLane;
import neural.mlops.app.deployments.DeploymentsViewModel.TimelineSegment;
import neural.mlops.deployment.DeploymentStatus;

/**
 * What was active when: one section per environment, one strip per model, one bar per period a
 * deployment was active, labelled with its version (a simple Gantt chart). All strips share one
 * time axis, from the first activation to now; hover a bar for its exact times.
 */
final class TimelineView extends ScrollPane {

    private final DeploymentsViewModel model;
    private final VBox content = new VBox(10);

    TimelineView(DeploymentsViewModel model) {
        this.model = model;
        setId("deployment-timeline");
        setFitToWidth(true);
        content.setPadding(new Insets(10));
        setContent(content);
        model.timeline().addListener((ListChangeListener<TimelineLane>) change -> rebuild());
        rebuild();
    }

    private void rebuild() {
        content.getChildren().clear();
        Label title = new Label("Timeline: what was active when");
        title.getStyleClass().add("section-title");
        content.getChildren().add(title);
        List<TimelineLane> lanes = List.copyOf(model.timeline());
        if (lanes.isEmpty()) {
            Label empty = new Label("No deployment has been active yet.");
            empty.getStyleClass().add("text-muted");
            content.getChildren().add(empty);
            return;
        }
        Instant start = lanes.stream().flatMap(lane -> lane.segments().stream()).map(TimelineSegment::from)
                .min(Instant::compareTo).orElseThrow();
        Instant end = lanes.stream().flatMap(lane -> lane.segments().stream()).map(TimelineSegment::to)
                .max(Instant::compareTo).orElseThrow();
        if (!end.isAfter(start)) {
            end = start.plusSeconds(3600);
        }
        Map<String, VBox> sections = new LinkedHashMap<>();
        for (TimelineLane lane : lanes) {
            VBox section = sections.computeIfAbsent(lane.environment(), environment -> {
                Label name = new Label(environment);
                name.getStyleClass().add("text-bold");
                VBox box = new VBox(4, name);
                content.getChildren().add(box);
                return box;
            });
            Label model = new Label(lane.model());
            model.setMinWidth(170);
            model.setPrefWidth(170);
            Strip strip = new Strip(lane.segments(), start, end);
            HBox.setHgrow(strip, Priority.ALWAYS);
            HBox row = new HBox(8, model, strip);
            row.setAlignment(Pos.CENTER_LEFT);
            section.getChildren().add(row);
        }
        Label from = new Label(Formats.localMinute(start));
        from.getStyleClass().add("timeline-axis");
        Label to = new Label(Formats.localMinute(end) + " (now)");
        to.getStyleClass().add("timeline-axis");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Region indent = new Region();
        indent.setMinWidth(178);
        content.getChildren().add(new HBox(indent, from, spacer, to));
    }

    /** One model's strip: bars placed by time on the shared axis. */
    static final class Strip extends Region {
        private final List<TimelineSegment> segments;
        private final Instant start;
        private final double span;

        Strip(List<TimelineSegment> segments, Instant start, Instant end) {
            this.segments = segments;
            this.start = start;
            this.span = Duration.between(start, end).toMillis();
            getStyleClass().add("timeline-strip");
            setPrefHeight(24);
            setMinHeight(24);
            setMinWidth(200);
            for (TimelineSegment segment : segments) {
                Label bar = new Label(segment.version());
                bar.getStyleClass().add("timeline-bar");
                if (segment.current()) {
                    bar.getStyleClass().add("current");
                } else if (segment.endedAs() == DeploymentStatus.ROLLED_BACK) {
                    bar.getStyleClass().add("rolled-back");
                }
                bar.setPadding(new Insets(0, 4, 0, 4));
                bar.setMinWidth(2);
                bar.setStyle("-fx-text-fill: white; -fx-font-size: 0.85em;");
                Tooltip.install(bar, new Tooltip(segment.version() + " (" + segment.deploymentId() + ")\nactive from "
                        + Formats.localTime(segment.from()) + "\n" + (segment.current() ? "still active"
                        : "until " + Formats.localTime(segment.to()) + ", then " + segment.endedAs().value())));
                getChildren().add(bar);
            }
        }

        @Override
        protected void layoutChildren() {
            double width = getWidth();
            double height = getHeight();
            for (int i = 0; i < segments.size(); i++) {
                TimelineSegment segment = segments.get(i);
                double x = width * Duration.between(start, segment.from()).toMillis() / span;
                double w = Math.max(2, width * Duration.between(segment.from(), segment.to()).toMillis() / span);
                getChildren().get(i).resizeRelocate(Math.round(x), 2, Math.round(Math.min(w, width - x)), height - 4);
            }
        }
    }
}
