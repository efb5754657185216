package neural.mlops.app.audit;

import java.time.Instant;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.WrappingCell;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventSeverity;

/**
 * The columns every table of audit events shows the same way (the Audit tab, the compliance
 * report's tables). Each has a minimum width at which its usual content reads whole, so a narrow
 * table scrolls sideways instead of cutting every column to "...".
 */
final class EventColumns {

    private EventColumns() {
    }

    /** The event's time, in local time as everywhere in the desktop; the heading names the zone. */
    static TableColumn<AuditEvent, Instant> time() {
        TableColumn<AuditEvent, Instant> time = new TableColumn<>("Time (" + Formats.zone() + ")");
        time.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().timestamp()));
        time.setCellFactory(column -> new TableCell<>() {
            @Override
            protected void updateItem(Instant item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : Formats.localTime(item));
            }
        });
        return sized(time, 165, 165);
    }

    /** The event's type in words ("Model registered"); the filter and the JSON keep the stored name. */
    static TableColumn<AuditEvent, String> type() {
        TableColumn<AuditEvent, String> type = new TableColumn<>("Type");
        type.setCellValueFactory(cell -> new ReadOnlyStringWrapper(Formats.words(cell.getValue().eventType().value())));
        return sized(type, 150, 185);
    }

    /** The severity as an icon and a word in the severity's colour. */
    static TableColumn<AuditEvent, EventSeverity> severity() {
        TableColumn<AuditEvent, EventSeverity> severity = new TableColumn<>("Severity");
        severity.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().severity()));
        severity.setCellFactory(column -> new AuditView.SeverityCell());
        return sized(severity, 95, 95);
    }

    static TableColumn<AuditEvent, String> user() {
        return text("User", AuditEvent::user, 80, 95);
    }

    /** The resource's type and id ("model fraud_detector:v2.0.0"). */
    static TableColumn<AuditEvent, String> resource() {
        return text("Resource", AuditView::resource, 170, 230);
    }

    static TableColumn<AuditEvent, String> action() {
        return text("Action", AuditEvent::action, 80, 90);
    }

    /** Why it was done: the column auditors read most, so it takes the room that is left. */
    static TableColumn<AuditEvent, String> reason() {
        return text("Reason", AuditEvent::reason, 150, 260);
    }

    /** {@link #reason()} wrapped to the column's width, read whole, for the report's short tables. */
    static TableColumn<AuditEvent, String> wrappedReason() {
        TableColumn<AuditEvent, String> reason = reason();
        reason.setCellFactory(column -> new WrappingCell<>());
        return reason;
    }

    /** A text column whose cells show their whole text in a tooltip, for when it is cut. */
    private static TableColumn<AuditEvent, String> text(String title, java.util.function.Function<AuditEvent, String> value,
            double min, double pref) {
        TableColumn<AuditEvent, String> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        column.setCellFactory(c -> new TableCell<>() {
            private final Tooltip tooltip = new Tooltip();

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                boolean blank = empty || item == null || item.isEmpty();
                setText(blank ? null : item);
                tooltip.setText(blank ? "" : item);
                setTooltip(blank ? null : tooltip);
            }
        });
        return sized(column, min, pref);
    }

    private static <T> TableColumn<AuditEvent, T> sized(TableColumn<AuditEvent, T> column, double min, double pref) {
        column.setMinWidth(min);
        column.setPrefWidth(pref);
        return column;
    }
}
