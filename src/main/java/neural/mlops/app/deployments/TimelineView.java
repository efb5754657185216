package neural.mlops.app.deployments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
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
 * time axis, from the first activation to now; hover a bar for its exact times. The strips are
 * rows of a virtualised list, so a workspace with thousands of models and deployments makes
 * nodes only for the rows on screen (one node per bar for ten thousand deployments took 400 MB).
 */
final class TimelineView extends VBox {

    /** Height of a row of the list, a strip or an environment's name. */
    private static final double ROW_HEIGHT = 28;
    private static final double NAME_WIDTH = 170;
    private static final double SCROLL_BAR_ALLOWANCE = 40;
    /** The narrowest bar: a deployment active for a minute in a 90-day axis still shows and can be hovered. */
    static final double MIN_BAR_WIDTH = 6;

    private final DeploymentsViewModel model;
    private final ListView<Row> rows = new ListView<>();
    private final Label empty = new Label("No deployment has been active yet.");
    private final HBox axis = new HBox();
    private final Label axisFrom = new Label();
    private final Label axisTo = new Label();
    private Instant start = Instant.EPOCH;
    private Instant end = Instant.EPOCH.plusSeconds(3600);

    /** A row of the list: an environment's name, or one model's strip in that environment. */
    private sealed interface Row permits Header, Strip {
    }

    private record Header(String environment) implements Row {
    }

    private record Strip(TimelineLane lane) implements Row {
    }

    TimelineView(DeploymentsViewModel model) {
        super(6);
        this.model = model;
        setId("deployment-timeline");
        setPadding(new Insets(10));
        Label title = new Label("Timeline: what was active when");
        title.getStyleClass().add("section-title");
        empty.getStyleClass().add("text-muted");
        rows.setFixedCellSize(ROW_HEIGHT);
        rows.setCellFactory(list -> new RowCell());
        rows.setFocusTraversable(false);
        VBox.setVgrow(rows, Priority.ALWAYS);
        axisFrom.getStyleClass().add("timeline-axis");
        axisTo.getStyleClass().add("timeline-axis");
        axisTo.setId("timeline-end");
        Region indent = new Region();
        indent.setMinWidth(NAME_WIDTH + 18);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        axis.getChildren().addAll(indent, axisFrom, spacer, axisTo);
        axis.setPadding(new Insets(0, 22, 0, 0));
        getChildren().addAll(title, empty, rows, axis);
        model.timeline().addListener((ListChangeListener<TimelineLane>) change -> rebuild());
        rebuild();
    }

    private void rebuild() {
        List<TimelineLane> lanes = List.copyOf(model.timeline());
        boolean none = lanes.isEmpty();
        empty.setVisible(none);
        empty.setManaged(none);
        for (Node node : List.of(rows, axis)) {
            node.setVisible(!none);
            node.setManaged(!none);
        }
        if (none) {
            rows.getItems().clear();
            return;
        }
        start = lanes.stream().flatMap(lane -> lane.segments().stream()).map(TimelineSegment::from)
                .min(Instant::compareTo).orElseThrow();
        // The axis ends now, whatever ended last: today is always at the right edge, so the time
        // since the last change shows as the gap it is.
        Instant last = lanes.stream().flatMap(lane -> lane.segments().stream()).map(TimelineSegment::to)
                .max(Instant::compareTo).orElseThrow();
        Instant now = model.now();
        last = now.isAfter(last) ? now : last;
        end = last.isAfter(start) ? last : start.plusSeconds(3600);
        List<Row> items = new ArrayList<>(lanes.size() + 8);
        String environment = null;
        for (TimelineLane lane : lanes) {
            if (!lane.environment().equals(environment)) {
                environment = lane.environment();
                items.add(new Header(environment));
            }
            items.add(new Strip(lane));
        }
        rows.getItems().setAll(items);
        axisFrom.setText(Formats.localMinute(start));
        axisTo.setText(Formats.localMinute(end) + " (now)");
    }

    /** Shows an environment's name, or a model's name and its bars; made only for the rows on screen. */
    private final class RowCell extends ListCell<Row> {
        @Override
        protected void updateItem(Row row, boolean isEmpty) {
            super.updateItem(row, isEmpty);
            setText(null);
            if (isEmpty || row == null) {
                setGraphic(null);
            } else if (row instanceof Header header) {
                Label name = new Label(header.environment());
                name.getStyleClass().add("text-bold");
                setGraphic(name);
            } else {
                TimelineLane lane = ((Strip) row).lane();
                Label name = new Label(lane.model());
                name.setMinWidth(NAME_WIDTH);
                name.setPrefWidth(NAME_WIDTH);
                Bars bars = new Bars(lane.segments(), start, end);
                HBox.setHgrow(bars, Priority.ALWAYS);
                HBox box = new HBox(8, name, bars);
                box.setAlignment(Pos.CENTER_LEFT);
                // A cell sizes its graphic to the graphic's preferred width: make that the list's,
                // less its vertical scroll bar and the cell's padding, so no horizontal bar appears.
                box.prefWidthProperty().bind(rows.widthProperty().subtract(SCROLL_BAR_ALLOWANCE));
                setGraphic(box);
            }
        }
    }

    /** One model's strip: bars placed by time on the shared axis. */
    static final class Bars extends Region {
        private final List<TimelineSegment> segments;
        private final Instant start;
        private final double span;

        Bars(List<TimelineSegment> segments, Instant start, Instant end) {
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
                        : "until " + Formats.localTime(segment.to()) + ", then " + segment.endedAs().value().replace('_', ' '))));
                getChildren().add(bar);
            }
        }

        @Override
        protected void layoutChildren() {
            double width = getWidth();
            double height = getHeight();
            for (int i = 0; i < segments.size(); i++) {
                double[] placed = place(segments.get(i), start, span, width);
                getChildren().get(i).resizeRelocate(Math.round(placed[0]), 2, Math.round(placed[1]), height - 4);
            }
        }

        /**
         * Where {@code segment} goes on a strip {@code width} wide whose axis starts at {@code start}
         * and spans {@code span} ms: {x, width}. A bar is never narrower than {@link #MIN_BAR_WIDTH}
         * (an hour in 90 days is a fraction of a pixel) and never leaves the strip: a short period
         * near the right edge grows to the left, so the most recent change is visible too.
         */
        static double[] place(TimelineSegment segment, Instant start, double span, double width) {
            double x = width * Duration.between(start, segment.from()).toMillis() / span;
            double w = Math.max(MIN_BAR_WIDTH, width * Duration.between(segment.from(), segment.to()).toMillis() / span);
            w = Math.min(w, width);
            x = Math.max(0, Math.min(x, width - w));
            return new double[] {x, w};
        }
    }
}
