package neural.mlops.app.audit;

import java.time.Instant;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import neural.mlops.app.common.Formats;
import neural.mlops.audit.AuditEvent;

/** The columns every table of audit events shows the same way (the Audit tab, the compliance report's tables). */
final class EventColumns {

    private EventColumns() {
    }

    /** The event's time, in local time as everywhere in the desktop. */
    static TableColumn<AuditEvent, Instant> time(double width) {
        TableColumn<AuditEvent, Instant> time = new TableColumn<>("Time");
        time.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().timestamp()));
        time.setCellFactory(column -> new TableCell<>() {
            @Override
            protected void updateItem(Instant item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : Formats.localTime(item));
            }
        });
        time.setPrefWidth(width);
        return time;
    }

    /** The event's type, as stored. */
    static TableColumn<AuditEvent, String> type(double width) {
        TableColumn<AuditEvent, String> type = new TableColumn<>("Type");
        type.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().eventType().value()));
        type.setPrefWidth(width);
        return type;
    }
}
