package neural.mlops.app.common;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;

/**
 * A toolbar or filter row that never clips nor truncates: its children keep their preferred
 * widths and go on to another line when the window is too narrow for one. Within a line, children
 * with {@link HBox#setHgrow} {@code ALWAYS} (a search field, a spacer) take the space left over,
 * as in an {@link HBox}; a line with nothing growing is packed to the left, or to the right (a
 * tab's actions beside its title).
 */
public final class WrappingRow extends Pane {

    private final double hgap;
    private final double vgap;
    private HPos alignment = HPos.LEFT;

    public WrappingRow(double hgap, double vgap, Node... children) {
        this.hgap = hgap;
        this.vgap = vgap;
        getStyleClass().add("wrapping-row");
        getChildren().addAll(children);
    }

    /**
     * Packs lines with nothing growing to the right instead of the left. Inside another row, this
     * row grows to its line's free width, so its actions stay at the right edge even on a line of
     * their own.
     */
    public WrappingRow alignRight() {
        alignment = HPos.RIGHT;
        HBox.setHgrow(this, Priority.ALWAYS);
        requestLayout();
        return this;
    }

    @Override
    public Orientation getContentBias() {
        return Orientation.HORIZONTAL;
    }

    /** The widest child: narrower than that, a child would have to be cut. */
    @Override
    protected double computeMinWidth(double height) {
        double widest = 0;
        for (Node child : managed()) {
            widest = Math.max(widest, child.prefWidth(-1));
        }
        return snapSpaceX(insets().getLeft()) + widest + snapSpaceX(insets().getRight());
    }

    /** Everything on one line. */
    @Override
    protected double computePrefWidth(double height) {
        double total = 0;
        List<Node> children = managed();
        for (Node child : children) {
            total += child.prefWidth(-1);
        }
        total += hgap * Math.max(0, children.size() - 1);
        return snapSpaceX(insets().getLeft()) + total + snapSpaceX(insets().getRight());
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected double computePrefHeight(double width) {
        double inner = width < 0 ? Double.MAX_VALUE : width - insets().getLeft() - insets().getRight();
        double height = 0;
        List<List<Node>> lines = lines(inner);
        for (List<Node> line : lines) {
            height += lineHeight(line, inner);
        }
        height += vgap * Math.max(0, lines.size() - 1);
        return snapSpaceY(insets().getTop()) + height + snapSpaceY(insets().getBottom());
    }

    @Override
    protected void layoutChildren() {
        Insets insets = insets();
        double inner = getWidth() - insets.getLeft() - insets.getRight();
        double y = insets.getTop();
        for (List<Node> line : lines(inner)) {
            double lineHeight = lineHeight(line, inner);
            double used = hgap * (line.size() - 1);
            int growing = 0;
            for (Node child : line) {
                used += child.prefWidth(-1);
                if (HBox.getHgrow(child) == Priority.ALWAYS) {
                    growing++;
                }
            }
            double extra = growing == 0 ? 0 : Math.max(0, inner - used) / growing;
            double x = insets.getLeft() + (growing == 0 && alignment == HPos.RIGHT ? Math.max(0, inner - used) : 0);
            for (Node child : line) {
                double width = widthIn(child, inner);
                if (HBox.getHgrow(child) == Priority.ALWAYS) {
                    width = Math.min(child.maxWidth(-1), width + extra);
                }
                layoutInArea(child, x, y, width, lineHeight, 0, Insets.EMPTY, true, false, HPos.LEFT, VPos.CENTER);
                x += width + hgap;
            }
            y += lineHeight + vgap;
        }
    }

    /** The children in lines no wider than {@code width}; a child wider than that gets a line alone. */
    private List<List<Node>> lines(double width) {
        List<List<Node>> lines = new ArrayList<>();
        List<Node> line = new ArrayList<>();
        double used = 0;
        for (Node child : managed()) {
            double childWidth = child.prefWidth(-1);
            if (!line.isEmpty() && used + hgap + childWidth > width) {
                lines.add(line);
                line = new ArrayList<>();
                used = 0;
            }
            used += (line.isEmpty() ? 0 : hgap) + childWidth;
            line.add(child);
        }
        if (!line.isEmpty()) {
            lines.add(line);
        }
        return lines;
    }

    /** The line's height, each child at the width it gets (a nested row may wrap too). */
    private static double lineHeight(List<Node> line, double inner) {
        double height = 0;
        for (Node child : line) {
            height = Math.max(height, child.prefHeight(widthIn(child, inner)));
        }
        return height;
    }

    /** A child's width on a line {@code inner} wide: its preferred width, cut to the line but never below its minimum. */
    private static double widthIn(Node child, double inner) {
        return Math.min(child.prefWidth(-1), Math.max(inner, child.minWidth(-1)));
    }

    private List<Node> managed() {
        return getManagedChildren();
    }

    private Insets insets() {
        return getInsets();
    }
}
