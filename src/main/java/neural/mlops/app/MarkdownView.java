package neural.mlops.app;

import java.io.InputStream;
import java.net.URL;
import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * A Markdown document (the bundled user guide) as JavaFX nodes: headings, paragraphs with
 * emphasis and code, lists, code blocks, tables and images. Parsed by commonmark-java and drawn
 * with TextFlows rather than a WebView, which would add WebKit's 80 MiB to the installer for one
 * page of help. Styled by app.css ({@code .markdown ...}), so it follows the theme.
 */
final class MarkdownView extends VBox {

    /** Where the document's relative image paths ("images/registry.png") are resolved. */
    private final String imageBase;

    MarkdownView(String markdown, String imageBase) {
        super(10);
        this.imageBase = imageBase;
        getStyleClass().add("markdown");
        setPadding(new Insets(16, 24, 24, 24));
        Parser parser = Parser.builder().extensions(List.of(TablesExtension.create())).build();
        for (org.commonmark.node.Node block = parser.parse(markdown).getFirstChild(); block != null; block = block.getNext()) {
            Node drawn = block(block);
            if (drawn != null) {
                getChildren().add(drawn);
            }
        }
    }

    private Node block(org.commonmark.node.Node block) {
        if (block instanceof Heading heading) {
            Label label = new Label(plain(heading));
            label.setWrapText(true);
            label.getStyleClass().add(switch (heading.getLevel()) {
                case 1 -> "title-1";
                case 2 -> "title-2";
                case 3 -> "title-3";
                default -> "title-4";
            });
            label.setPadding(new Insets(heading.getLevel() <= 2 ? 12 : 6, 0, 0, 0));
            return label;
        }
        if (block instanceof Paragraph paragraph) {
            Image image = soleImage(paragraph);
            return image != null ? imageView(image) : flow(paragraph);
        }
        if (block instanceof FencedCodeBlock code) {
            return codeBlock(code.getLiteral());
        }
        if (block instanceof IndentedCodeBlock code) {
            return codeBlock(code.getLiteral());
        }
        if (block instanceof BulletList || block instanceof OrderedList) {
            return list(block);
        }
        if (block instanceof BlockQuote quote) {
            VBox box = new VBox(6);
            box.getStyleClass().add("markdown-quote");
            for (org.commonmark.node.Node child = quote.getFirstChild(); child != null; child = child.getNext()) {
                Node drawn = block(child);
                if (drawn != null) {
                    box.getChildren().add(drawn);
                }
            }
            return box;
        }
        if (block instanceof TableBlock table) {
            return table(table);
        }
        if (block instanceof ThematicBreak) {
            javafx.scene.control.Separator line = new javafx.scene.control.Separator();
            return line;
        }
        return null; // raw HTML and link definitions have nothing to show
    }

    private Node list(org.commonmark.node.Node list) {
        VBox items = new VBox(4);
        int number = list instanceof OrderedList ordered ? ordered.getStartNumber() : 0;
        for (org.commonmark.node.Node item = list.getFirstChild(); item != null; item = item.getNext()) {
            if (!(item instanceof ListItem)) {
                continue;
            }
            Label marker = new Label(list instanceof OrderedList ? (number++) + "." : "\u2022");
            marker.setMinWidth(22);
            VBox body = new VBox(4);
            for (org.commonmark.node.Node child = item.getFirstChild(); child != null; child = child.getNext()) {
                Node drawn = block(child);
                if (drawn != null) {
                    body.getChildren().add(drawn);
                }
            }
            HBox row = new HBox(4, marker, body);
            HBox.setHgrow(body, javafx.scene.layout.Priority.ALWAYS);
            items.getChildren().add(row);
        }
        return items;
    }

    private Node table(TableBlock table) {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("markdown-table");
        grid.setHgap(16);
        grid.setVgap(4);
        int row = 0;
        for (org.commonmark.node.Node section = table.getFirstChild(); section != null; section = section.getNext()) {
            for (org.commonmark.node.Node line = section.getFirstChild(); line != null; line = line.getNext()) {
                if (!(line instanceof TableRow)) {
                    continue;
                }
                int column = 0;
                for (org.commonmark.node.Node cell = line.getFirstChild(); cell != null; cell = cell.getNext()) {
                    TextFlow text = flow(cell);
                    if (cell instanceof TableCell tableCell && tableCell.isHeader()) {
                        text.getStyleClass().add("markdown-table-header");
                        text.getChildren().forEach(piece -> piece.getStyleClass().add("markdown-strong"));
                    }
                    text.setMaxWidth(420);
                    grid.add(text, column++, row);
                }
                row++;
            }
        }
        return grid;
    }

    private static Node codeBlock(String literal) {
        Text text = new Text(literal.stripTrailing());
        text.getStyleClass().addAll("markdown-code", "markdown-text");
        TextFlow flow = new TextFlow(text);
        flow.getStyleClass().add("markdown-code-block");
        flow.setPadding(new Insets(8, 12, 8, 12));
        return flow;
    }

    private Node imageView(Image image) {
        ImageView view = new ImageView(image);
        view.setPreserveRatio(true);
        view.setFitWidth(Math.min(image.getWidth(), 880));
        return view;
    }

    /** The image a paragraph consists of alone (a screenshot), loaded from the bundle, or null. */
    private Image soleImage(Paragraph paragraph) {
        if (!(paragraph.getFirstChild() instanceof org.commonmark.node.Image image) || image.getNext() != null) {
            return null;
        }
        URL url = MarkdownView.class.getResource(imageBase + image.getDestination());
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            Image loaded = new Image(in);
            return loaded.isError() ? null : loaded;
        } catch (java.io.IOException e) {
            return null; // a missing screenshot leaves its caption, drawn as text
        }
    }

    /** The inline content of {@code block} as styled text pieces. */
    private static TextFlow flow(org.commonmark.node.Node block) {
        TextFlow flow = new TextFlow();
        flow.getStyleClass().add("markdown-paragraph");
        inline(block, flow, List.of());
        return flow;
    }

    private static void inline(org.commonmark.node.Node parent, TextFlow flow, List<String> styles) {
        for (org.commonmark.node.Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof org.commonmark.node.Text text) {
                flow.getChildren().add(text(text.getLiteral(), styles));
            } else if (node instanceof Code code) {
                flow.getChildren().add(text(code.getLiteral(), with(styles, "markdown-code")));
            } else if (node instanceof SoftLineBreak) {
                flow.getChildren().add(text(" ", styles));
            } else if (node instanceof HardLineBreak) {
                flow.getChildren().add(text("\n", styles));
            } else if (node instanceof StrongEmphasis) {
                inline(node, flow, with(styles, "markdown-strong"));
            } else if (node instanceof Emphasis) {
                inline(node, flow, with(styles, "markdown-emphasis"));
            } else if (node instanceof Link) {
                inline(node, flow, with(styles, "markdown-link"));
            } else if (node instanceof org.commonmark.node.Image image) {
                flow.getChildren().add(text("[" + plain(image) + "]", with(styles, "markdown-emphasis")));
            } else {
                inline(node, flow, styles);
            }
        }
    }

    private static Text text(String literal, List<String> styles) {
        Text text = new Text(literal);
        text.getStyleClass().add("markdown-text");
        text.getStyleClass().addAll(styles);
        return text;
    }

    private static List<String> with(List<String> styles, String style) {
        return java.util.stream.Stream.concat(styles.stream(), java.util.stream.Stream.of(style)).toList();
    }

    /** The text of a heading or image caption, without its markup. */
    static String plain(org.commonmark.node.Node node) {
        StringBuilder text = new StringBuilder();
        for (org.commonmark.node.Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof org.commonmark.node.Text literal) {
                text.append(literal.getLiteral());
            } else if (child instanceof Code code) {
                text.append(code.getLiteral());
            } else if (child instanceof SoftLineBreak) {
                text.append(' ');
            } else {
                text.append(plain(child));
            }
        }
        return text.toString();
    }
}
