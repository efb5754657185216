package neural.mlops.app.audit;

import java.time.Instant;
import java.util.List;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import neural.mlops.app.common.Badge;
import neural.mlops.identity.SignatureVerdict;
import neural.mlops.app.common.ComboBoxes;
import neural.mlops.app.common.DatePickers;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.Keyboard;
import neural.mlops.app.common.WrappingRow;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Audit tab: filters and actions on top, the events table (virtualised; a page of events at
 * a time) beside the selected event's full document, and a footer with the count and Load more.
 */
public final class AuditView extends BorderPane {

    private final AuditViewModel model;
    private final TableView<AuditEvent> table = new TableView<>();

    public AuditView(AuditViewModel model) {
        this.model = model;
        getStyleClass().add("audit-view");
        setTop(new VBox(toolbar(), retentionBanner(), filters()));
        // The table has the width; the event's document opens beside it only while an event is
        // selected, and gives its width back when the selection is cleared.
        SplitPane split = new SplitPane(buildTable());
        split.setOrientation(Orientation.HORIZONTAL);
        VBox detail = detailPane();
        SplitPane.setResizableWithParent(detail, false);
        model.selectedEventProperty().addListener((observable, old, event) -> showDetail(split, detail, event != null));
        showDetail(split, detail, model.selectedEventProperty().get() != null);
        setCenter(split);
        setBottom(footer());
        model.verificationProperty().addListener((observable, old, verification) -> {
            if (verification != null && getScene() != null) {
                new IntegrityView(verification, model::adoptUnchained).show(getScene().getWindow());
            }
        });
    }

    /** Opens the Export Audit Trail dialog (also File > Export Audit Trail). */
    public void openExportDialog() {
        if (model.availableProperty().get() && getScene() != null) {
            new ExportAuditDialog(getScene().getWindow(), model.newExport()).showAndWait();
        }
    }

    /** Opens the Compliance Report window. */
    public void openComplianceReport() {
        if (model.availableProperty().get() && getScene() != null) {
            new ComplianceReportView(model.newComplianceReport()).show(getScene().getWindow());
        }
    }

    private WrappingRow toolbar() {
        Label title = new Label("Audit trail");
        title.getStyleClass().add("title-4");

        Button report = new Button("Compliance Report...", new FontIcon("mdal-assessment"));
        report.setId("compliance-report-button");
        report.setTooltip(new Tooltip("Summary, charts and event tables for a period; save as JSON or HTML"));
        report.setOnAction(event -> openComplianceReport());
        Button export = new Button("Export...", new FontIcon("mdal-get_app"));
        export.setId("export-button");
        export.setTooltip(new Tooltip("Export the events to JSON, JSON Lines or CSV"));
        export.setOnAction(event -> openExportDialog());
        Button verify = new Button("Verify Integrity", new FontIcon("mdmz-verified_user"));
        verify.setId("verify-button");
        verify.setTooltip(new Tooltip("Walk the hash chain and list any problem"));
        verify.setOnAction(event -> model.verifyIntegrity());
        verify.disableProperty().bind(model.verifyingProperty());
        Button refresh = new Button(null, new FontIcon("mdmz-refresh"));
        refresh.setTooltip(new Tooltip("Reload the events"));
        refresh.setOnAction(event -> model.reload());

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        WrappingRow bar = new WrappingRow(8, 6, title, spacer, new WrappingRow(8, 6, report, export, verify, refresh).alignRight());
        bar.getStyleClass().add("toolbar-row");
        return bar;
    }

    private WrappingRow filters() {
        ComboBox<EventType> type = new ComboBox<>();
        type.setId("type-filter");
        type.getItems().add(null);
        type.getItems().addAll(EventType.values());
        ComboBoxes.anyOf(type, "Any type", value -> Formats.words(value.value()));
        type.valueProperty().bindBidirectional(model.typeFilterProperty());

        ComboBox<EventSeverity> severity = new ComboBox<>();
        severity.setId("severity-filter");
        severity.getItems().add(null);
        severity.getItems().addAll(EventSeverity.values());
        ComboBoxes.anyOf(severity, "Any severity", value -> Formats.words(value.value()));
        severity.valueProperty().bindBidirectional(model.severityFilterProperty());

        ComboBox<String> user = new ComboBox<>();
        user.setId("user-filter");
        user.setEditable(true);
        user.setPromptText("Any user");
        user.setPrefWidth(150);
        Runnable fillUsers = () -> {
            String keep = user.getEditor().getText();
            user.getItems().setAll(model.users());
            user.getEditor().setText(keep);
        };
        model.users().addListener((ListChangeListener<String>) change -> fillUsers.run());
        user.valueProperty().addListener((observable, old, current) -> model.userFilterProperty().set(current == null ? "" : current));
        model.userFilterProperty().addListener((observable, old, current) -> {
            if (!current.equals(user.getValue() == null ? "" : user.getValue())) {
                user.setValue(current.isEmpty() ? null : current);
            }
        });

        DatePicker from = DatePickers.create("from-date", "From");
        from.valueProperty().bindBidirectional(model.fromDateProperty());
        DatePicker to = DatePickers.create("to-date", "To");
        to.valueProperty().bindBidirectional(model.toDateProperty());

        TextField text = Keyboard.searchField("text-filter", "Search");
        text.setTooltip(new Tooltip("Looks in the user, action, resource, reason and details; Enter applies at once"));
        HBox.setHgrow(text, Priority.ALWAYS);
        // Typing settles for a moment before the (possibly long) query starts.
        PauseTransition settle = new PauseTransition(Duration.millis(350));
        settle.setOnFinished(event -> model.textFilterProperty().set(text.getText()));
        text.textProperty().addListener((observable, old, current) -> settle.playFromStart());
        text.setOnAction(event -> {
            settle.stop();
            model.textFilterProperty().set(text.getText());
        });
        model.textFilterProperty().addListener((observable, old, current) -> {
            if (!current.equals(text.getText())) {
                text.setText(current);
            }
        });

        Button clear = new Button(null, new FontIcon("mdal-clear"));
        clear.setId("clear-filters");
        clear.setTooltip(new Tooltip("Clear the filters"));
        clear.setOnAction(event -> model.clearFilters());

        // Fixed widths, each fitting its longest value: choosing a value does not shift the filters after it.
        type.setPrefWidth(230);
        severity.setPrefWidth(140);
        text.setPrefWidth(200);
        text.setMaxWidth(Double.MAX_VALUE);
        HBox period = new HBox(6, from, new Label("\u2013"), to);
        period.setAlignment(Pos.CENTER_LEFT);
        WrappingRow row = new WrappingRow(8, 6, new FontIcon("mdal-filter_list"), type, severity, user, period, text, clear);
        row.setPadding(new Insets(0, 10, 8, 10));
        return row;
    }

    private TableView<AuditEvent> buildTable() {
        table.setId("events-table");
        table.setItems(model.events());
        table.setFixedCellSize(28);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label empty = new Label();
        empty.textProperty().bind(Bindings.when(model.loadingProperty())
                .then("Reading the audit trail\u2026").otherwise("No event matches the filters."));
        empty.getStyleClass().add("text-muted");
        table.setPlaceholder(empty);

        TableColumn<AuditEvent, Instant> time = EventColumns.time();
        time.setSortable(false);

        TableColumn<AuditEvent, Outcome> outcome = new TableColumn<>("Outcome");
        outcome.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().outcome()));
        outcome.setCellFactory(column -> new TableCell<>() {
            private final Badge badge = new Badge(null);

            @Override
            protected void updateItem(Outcome item, boolean empty) {
                super.updateItem(item, empty);
                badge.setValue(empty || item == null ? null : item.value());
                setGraphic(empty || item == null ? null : badge);
            }
        });
        outcome.setMinWidth(85);
        outcome.setPrefWidth(85);

        // Reason last: it takes what is left, and the table scrolls sideways before any column gets unreadable.
        table.getColumns().setAll(List.of(time, EventColumns.type(), EventColumns.severity(), EventColumns.user(),
                EventColumns.resource(), EventColumns.action(), outcome, EventColumns.reason()));
        table.getSelectionModel().selectedItemProperty().addListener((observable, old, selected) -> {
            if (selected != model.selectedEventProperty().get()) {
                model.selectedEventProperty().set(selected);
            }
        });
        model.selectedEventProperty().addListener((observable, old, selected) -> {
            if (table.getSelectionModel().getSelectedItem() != selected) {
                if (selected == null) {
                    table.getSelectionModel().clearSelection();
                } else {
                    table.getSelectionModel().select(selected);
                }
            }
        });
        return table;
    }

    /** The detail pane's width, kept while it is closed so it opens again as the user left it. */
    private double detailWidth = 360;

    private void showDetail(SplitPane split, VBox detail, boolean show) {
        boolean shown = split.getItems().contains(detail);
        if (show && !shown) {
            split.getItems().add(detail);
            double width = split.getWidth() > 0 ? split.getWidth() : 1280;
            split.setDividerPositions(Math.max(0.4, 1 - detailWidth / width));
        } else if (!show && shown) {
            if (detail.getWidth() > 0) {
                detailWidth = detail.getWidth();
            }
            split.getItems().remove(detail);
        }
    }

    private VBox detailPane() {
        Label heading = new Label("Event");
        heading.getStyleClass().add("section-title");
        Badge typeBadge = new Badge(null);
        Label when = new Label();
        when.getStyleClass().add("text-muted");
        model.selectedEventProperty().addListener((observable, old, event) -> {
            heading.setText(event == null ? "Event" : "Event " + (event.seq() > 0 ? "#" + event.seq() : "(unchained)"));
            typeBadge.setValue(event == null ? null : event.severity().value());
            typeBadge.setText(event == null ? "" : Formats.words(event.eventType().value()));
            when.setText(event == null ? "" : Formats.localTime(event.timestamp()) + " " + Formats.zone());
        });
        // The signature's verdict, as audit verify gives it; the reason a signature is refused in the tooltip.
        Badge signature = new Badge(null);
        signature.setId("event-signature");
        Tooltip signatureTip = new Tooltip();
        signature.setTooltip(signatureTip);
        signature.managedProperty().bind(signature.visibleProperty());
        model.signatureProperty().addListener((observable, old, verdict) -> {
            signature.setValue(verdict == null ? null : switch (verdict.status()) {
                case SIGNED -> "signed";
                case INVALID -> "signature invalid";
                case UNSIGNED -> "unsigned";
            });
            signatureTip.setText(verdict == null ? "" : verdict.describe() + verdict.problem().map(why -> ": " + why)
                    .orElse(verdict.status() == SignatureVerdict.Status.UNSIGNED
                            ? " (its stage requires signed actions)" : ""));
        });
        signature.setVisible(false);
        TextArea json = new TextArea();
        json.setId("event-json");
        json.setEditable(false);
        json.setWrapText(false);
        json.getStyleClass().add("json-view");
        json.textProperty().bind(model.detailTextProperty());
        VBox.setVgrow(json, Priority.ALWAYS);
        Button close = new Button(null, new FontIcon("mdal-close"));
        close.setId("close-event");
        close.getStyleClass().addAll("flat", "small");
        close.setTooltip(new Tooltip("Close the event pane"));
        close.setOnAction(event -> model.selectedEventProperty().set(null));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, heading, typeBadge, spacer, close);
        header.setAlignment(Pos.CENTER_LEFT);
        HBox whenAndSignature = new HBox(8, when, signature);
        whenAndSignature.setAlignment(Pos.CENTER_LEFT);
        VBox pane = new VBox(8, header, whenAndSignature, json);
        pane.setId("event-pane");
        pane.getStyleClass().add("details-pane");
        pane.setMinWidth(240);
        return pane;
    }

    /**
     * Non-modal: shown only while workspace.yaml's retention makes days due for the archive
     * ("3 days are older than the 30-day retention   Archive..."); the work stays the view model's.
     */
    private HBox retentionBanner() {
        Label notice = new Label();
        notice.setId("retention-notice");
        notice.textProperty().bind(model.retentionNoticeProperty());
        Button archive = new Button("Archive\u2026");
        archive.setId("retention-archive");
        archive.setTooltip(new Tooltip("Move the days the retention makes due into one archive file, as "
                + "'audit archive --due' does"));
        archive.disableProperty().bind(model.archiveDueProperty().not());
        archive.setOnAction(event -> model.archiveDueDays());
        HBox banner = new HBox(10, notice, archive);
        banner.setId("retention-banner");
        banner.getStyleClass().add("retention-banner");
        banner.setAlignment(Pos.CENTER_LEFT);
        banner.setPadding(new Insets(4, 8, 4, 8));
        banner.visibleProperty().bind(model.retentionNoticeProperty().isNotEmpty());
        banner.managedProperty().bind(banner.visibleProperty());
        return banner;
    }

    private HBox footer() {
        Label summary = new Label();
        summary.setId("events-summary");
        summary.textProperty().bind(model.summaryProperty());
        Button more = new Button("Load more");
        more.setId("load-more");
        more.setTooltip(new Tooltip("Load the next " + Formats.count(AuditViewModel.PAGE) + " older events"));
        more.setOnAction(event -> model.loadMore());
        more.visibleProperty().bind(model.hasMoreProperty());
        more.managedProperty().bind(more.visibleProperty());
        more.disableProperty().bind(model.loadingProperty());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(model.loadingProperty());
        Label problem = new Label();
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(Bindings.createStringBinding(() -> model.filterProblemProperty().get() == null ? ""
                : model.filterProblemProperty().get(), model.filterProblemProperty()));
        HBox footer = new HBox(10, summary, more, busy, problem);
        footer.setAlignment(Pos.CENTER_LEFT);
        footer.setPadding(new Insets(6, 10, 6, 10));
        return footer;
    }

    static String resource(AuditEvent event) {
        String type = event.resourceType() == null ? "" : event.resourceType();
        String id = event.resourceId() == null ? "" : event.resourceId();
        return type.isEmpty() ? id : id.isEmpty() ? type : type + " " + id;
    }

    /** The icon literal for a severity (material2). */
    static String severityIcon(EventSeverity severity) {
        return switch (severity) {
            case INFO -> "mdal-info";
            case WARNING -> "mdmz-warning";
            case ERROR -> "mdal-error";
            case CRITICAL -> "mdmz-report_problem";
        };
    }

    /** A severity as an icon and a word, both in the severity's colour. */
    static final class SeverityCell extends TableCell<AuditEvent, EventSeverity> {
        private final FontIcon icon = new FontIcon("mdal-info");

        @Override
        protected void updateItem(EventSeverity item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeIf(style -> style.startsWith("severity-"));
            if (empty || item == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            icon.setIconLiteral(severityIcon(item));
            setGraphic(icon);
            setText(Formats.words(item.value()));
            getStyleClass().add("severity-" + item.value());
        }
    }
}
