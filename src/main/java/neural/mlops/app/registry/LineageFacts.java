package neural.mlops.app.registry;

import static neural.mlops.app.common.DetailsPane.key;

import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import neural.mlops.registry.LinkField;
import neural.mlops.registry.LineageLink;
import neural.mlops.registry.ModelVersion;

/**
 * The lineage rows of the details pane: commit, run and dataset as links when workspace.yaml has
 * a template for them (an http or https address opens in the browser; another, such as
 * {@code s3://}, is shown resolved, to copy), as selectable text otherwise; the parent version as
 * a link that selects it in the registry.
 */
final class LineageFacts {

    private LineageFacts() {
    }

    /** Adds the rows of {@code version}'s lineage from {@code row}; returns the next free row. */
    static int add(GridPane grid, int row, ModelVersion version, LineageViewModel lineage) {
        if (version.lineage() == null || version.lineage().isEmpty()) {
            return row;
        }
        int next = row;
        for (LinkField field : LinkField.values()) {
            String value = field.of(version.lineage());
            if (value != null) {
                grid.addRow(next++, key(field.label()), value(field, value, lineage.link(version, field), lineage));
            }
        }
        String parent = version.lineage().parentVersion();
        if (parent != null) {
            Hyperlink link = new Hyperlink(parent);
            link.setId("lineage-parent-link");
            link.setTooltip(new Tooltip("Select " + version.name() + " " + parent + " in the registry"));
            link.setOnAction(event -> lineage.selectParent(version));
            link.setMinWidth(0);
            grid.addRow(next++, key("Parent"), link);
        }
        return next;
    }

    private static Node value(LinkField field, String value, Optional<LineageLink> link, LineageViewModel lineage) {
        if (link.isPresent() && link.get().browsable()) {
            Hyperlink hyperlink = new Hyperlink(value);
            hyperlink.setId("lineage-" + field.value() + "-link");
            hyperlink.setTooltip(new Tooltip("Open " + link.get().address()));
            hyperlink.setOnAction(event -> lineage.open(link.get()));
            hyperlink.setMinWidth(0);
            return hyperlink;
        }
        TextField text = selectable(value, "lineage-" + field.value());
        if (link.isEmpty()) {
            return text;
        }
        // Not for the browser (s3://, gs://...): the resolved address, to copy.
        TextField address = selectable(link.get().address(), "lineage-" + field.value() + "-address");
        address.getStyleClass().add("text-muted");
        return new VBox(2, text, address);
    }

    /** Text that reads like a label but can be selected and copied. */
    private static TextField selectable(String text, String id) {
        TextField field = new TextField(text);
        field.setId(id);
        field.setEditable(false);
        field.getStyleClass().add("selectable-text");
        field.setPrefColumnCount(Math.max(4, Math.min(text.length(), 40)));
        return field;
    }
}
