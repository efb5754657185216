package neural.mlops.ci;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a declarative Jenkinsfile far enough to check its structure: Groovy comments and string
 * literals (single, double and triple quoted, with their escapes), balanced parentheses and
 * braces, and statements grouped into blocks ({@code stage('Test') { steps { ... } }}).
 * Anything unbalanced or unterminated is an {@link IllegalArgumentException} naming the line.
 */
public final class JenkinsfileParser {

    /** A statement: its head (words and strings before any block) and, for a block, its children. */
    public record Node(String name, List<Token> head, List<Node> children, boolean block, int line) {

        /** The first child statement or block called {@code name}. */
        public Optional<Node> child(String childName) {
            return children.stream().filter(n -> n.name.equals(childName)).findFirst();
        }

        public List<Node> children(String childName) {
            return children.stream().filter(n -> n.name.equals(childName)).toList();
        }

        /** The decoded string literals of the head, in order ({@code stage('Test')} gives "Test"). */
        public List<String> strings() {
            return head.stream().filter(t -> t.kind == Kind.STRING).map(Token::text).toList();
        }

        /** The head as source-like text, strings shown decoded in single quotes. */
        public String headText() {
            StringBuilder out = new StringBuilder();
            for (Token token : head) {
                if (out.length() > 0) {
                    out.append(' ');
                }
                out.append(token.kind == Kind.STRING ? "'" + token.text + "'" : token.text);
            }
            return out.toString();
        }
    }

    enum Kind { WORD, STRING, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, NEWLINE, SYMBOL }

    /** A token; for a string, {@code text} is the decoded value and {@code quote} its delimiter. */
    public record Token(Kind kind, String text, String quote, int line) {
    }

    private final String source;
    private int pos;
    private int line = 1;

    private JenkinsfileParser(String source) {
        this.source = source;
    }

    /** The top-level statements of {@code text}. */
    public static List<Node> parse(String text) {
        List<Token> tokens = new JenkinsfileParser(text).tokens();
        int[] index = {0};
        List<Node> nodes = statements(tokens, index, 0);
        if (index[0] != tokens.size()) {
            throw new IllegalArgumentException("Unexpected '}' at line " + tokens.get(index[0]).line);
        }
        return nodes;
    }

    /** The decoded body of every {@code sh '''...'''} step, in order. */
    public static List<String> shellScripts(String text) {
        List<Token> tokens = new JenkinsfileParser(text).tokens();
        List<String> scripts = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).kind == Kind.WORD && tokens.get(i).text.equals("sh") && tokens.get(i + 1).kind == Kind.STRING) {
                scripts.add(tokens.get(i + 1).text);
            }
        }
        return scripts;
    }

    /** Every string literal of {@code text} with its delimiter. */
    public static List<Token> strings(String text) {
        return new JenkinsfileParser(text).tokens().stream().filter(t -> t.kind == Kind.STRING).toList();
    }

    private static List<Node> statements(List<Token> tokens, int[] index, int depth) {
        List<Node> nodes = new ArrayList<>();
        List<Token> head = new ArrayList<>();
        int parens = 0;
        while (index[0] < tokens.size()) {
            Token token = tokens.get(index[0]);
            switch (token.kind) {
                case LPAREN, LBRACKET -> {
                    parens++;
                    head.add(token);
                    index[0]++;
                }
                case RPAREN, RBRACKET -> {
                    parens--;
                    if (parens < 0) {
                        throw new IllegalArgumentException("Unbalanced '" + token.text + "' at line " + token.line);
                    }
                    head.add(token);
                    index[0]++;
                }
                case NEWLINE -> {
                    index[0]++;
                    if (parens == 0 && !head.isEmpty() && !continues(head)) {
                        nodes.add(node(head, List.of(), false));
                        head = new ArrayList<>();
                    }
                }
                case LBRACE -> {
                    if (parens != 0) {
                        throw new IllegalArgumentException("A block opens inside parentheses at line " + token.line);
                    }
                    index[0]++;
                    List<Node> children = statements(tokens, index, depth + 1);
                    if (index[0] >= tokens.size()) {
                        throw new IllegalArgumentException("The block opened at line " + token.line + " is not closed");
                    }
                    index[0]++; // the closing brace
                    nodes.add(node(head.isEmpty() ? List.of(new Token(Kind.WORD, "", "", token.line)) : head, children, true));
                    head = new ArrayList<>();
                }
                case RBRACE -> {
                    if (depth == 0) {
                        throw new IllegalArgumentException("Unexpected '}' at line " + token.line);
                    }
                    if (parens != 0) {
                        throw new IllegalArgumentException("Unbalanced parentheses before line " + token.line);
                    }
                    if (!head.isEmpty()) {
                        nodes.add(node(head, List.of(), false));
                    }
                    return nodes;
                }
                default -> {
                    head.add(token);
                    index[0]++;
                }
            }
        }
        if (parens != 0) {
            throw new IllegalArgumentException("Unbalanced parentheses at the end of the file");
        }
        if (!head.isEmpty()) {
            nodes.add(node(head, List.of(), false));
        }
        return nodes;
    }

    /** A statement whose last token is a comma or an operator continues on the next line. */
    private static boolean continues(List<Token> head) {
        Token last = head.get(head.size() - 1);
        return last.kind == Kind.SYMBOL && (last.text.equals(",") || last.text.equals("+") || last.text.equals("="));
    }

    private static Node node(List<Token> head, List<Node> children, boolean block) {
        Token first = head.get(0);
        String name = first.kind == Kind.WORD ? first.text : "";
        return new Node(name, List.copyOf(head), List.copyOf(children), block, first.line);
    }

    private List<Token> tokens() {
        List<Token> tokens = new ArrayList<>();
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (c == '\n') {
                tokens.add(new Token(Kind.NEWLINE, "\n", "", line));
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (source.startsWith("//", pos)) {
                while (pos < source.length() && source.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (source.startsWith("/*", pos)) {
                int end = source.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("Unterminated comment at line " + line);
                }
                line += count(source.substring(pos, end), '\n');
                pos = end + 2;
            } else if (source.startsWith("'''", pos) || source.startsWith("\"\"\"", pos)) {
                tokens.add(string(source.substring(pos, pos + 3), true));
            } else if (c == '\'' || c == '"') {
                tokens.add(string(String.valueOf(c), false));
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = pos;
                while (pos < source.length() && (Character.isJavaIdentifierPart(source.charAt(pos)) || source.charAt(pos) == '.')) {
                    pos++;
                }
                tokens.add(new Token(Kind.WORD, source.substring(start, pos), "", line));
            } else if (Character.isDigit(c)) {
                int start = pos;
                while (pos < source.length() && Character.isLetterOrDigit(source.charAt(pos))) {
                    pos++;
                }
                tokens.add(new Token(Kind.WORD, source.substring(start, pos), "", line));
            } else {
                Kind kind = switch (c) {
                    case '(' -> Kind.LPAREN;
                    case ')' -> Kind.RPAREN;
                    case '{' -> Kind.LBRACE;
                    case '}' -> Kind.RBRACE;
                    case '[' -> Kind.LBRACKET;
                    case ']' -> Kind.RBRACKET;
                    default -> Kind.SYMBOL;
                };
                tokens.add(new Token(kind, String.valueOf(c), "", line));
                pos++;
            }
        }
        return tokens;
    }

    private Token string(String quote, boolean triple) {
        int startLine = line;
        pos += quote.length();
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= source.length()) {
                throw new IllegalArgumentException("Unterminated string starting at line " + startLine);
            }
            if (source.startsWith(quote, pos)) {
                pos += quote.length();
                return new Token(Kind.STRING, value.toString(), quote, startLine);
            }
            char c = source.charAt(pos);
            if (c == '\n') {
                if (!triple) {
                    throw new IllegalArgumentException("Unterminated string at line " + startLine);
                }
                line++;
                value.append(c);
                pos++;
            } else if (c == '\\') {
                if (pos + 1 >= source.length()) {
                    throw new IllegalArgumentException("Unterminated string starting at line " + startLine);
                }
                char next = source.charAt(pos + 1);
                pos += 2;
                switch (next) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case '\\', '\'', '"', '$' -> value.append(next);
                    case 'u' -> {
                        value.append((char) Integer.parseInt(source.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    case '\n' -> line++; // a line continuation: Groovy drops both characters
                    default -> throw new IllegalArgumentException("Invalid escape '\\" + next + "' at line " + line);
                }
            } else {
                value.append(c);
                pos++;
            }
        }
    }

    private static int count(String text, char c) {
        return (int) text.chars().filter(x -> x == c).count();
    }
}
