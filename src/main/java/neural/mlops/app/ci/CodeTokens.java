package neural.mlops.app.ci;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A tiny line tokenizer for the preview's colours: YAML keys, strings and comments, or for a
 * Jenkinsfile (Groovy) keywords, strings and comments. It only colours; it never decides what
 * the file means, so an odd line simply stays plain.
 */
final class CodeTokens {

    /** What a piece of a line is. */
    enum Kind { PLAIN, KEY, STRING, COMMENT, KEYWORD }

    /** A piece of a line and its kind. */
    record Token(Kind kind, String text) {
    }

    private static final Set<String> GROOVY_KEYWORDS = Set.of("pipeline", "agent", "stages", "stage", "steps", "sh",
            "when", "environment", "post", "always", "success", "failure", "options", "input", "script", "docker",
            "branch", "tag", "buildingTag", "allOf", "anyOf", "not", "archiveArtifacts", "def", "if", "else", "return",
            "true", "false", "parameters", "stash", "unstash", "withEnv", "dir");

    private CodeTokens() {
    }

    /** The tokens of one line (without its line break); concatenated they give the line back. */
    static List<Token> line(String line, boolean yaml) {
        return yaml ? yamlLine(line) : groovyLine(line);
    }

    private static List<Token> yamlLine(String line) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = line.length();
        // Leading white space and list dashes, then a key if the line has one.
        int start = i;
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '-')) {
            i++;
        }
        int keyEnd = keyEnd(line, i);
        if (keyEnd > 0) {
            add(tokens, Kind.PLAIN, line.substring(start, i));
            add(tokens, Kind.KEY, line.substring(i, keyEnd));
            i = keyEnd;
            start = i;
        }
        while (i < n) {
            char c = line.charAt(i);
            if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                add(tokens, Kind.PLAIN, line.substring(start, i));
                add(tokens, Kind.COMMENT, line.substring(i));
                return tokens;
            }
            if (c == '"' || c == '\'') {
                add(tokens, Kind.PLAIN, line.substring(start, i));
                int end = stringEnd(line, i, c, c == '"');
                add(tokens, Kind.STRING, line.substring(i, end));
                i = end;
                start = i;
                continue;
            }
            i++;
        }
        add(tokens, Kind.PLAIN, line.substring(start));
        return tokens;
    }

    /** The end of a {@code key:} at {@code from} (after the colon), or -1 when the line has none there. */
    private static int keyEnd(String line, int from) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/') {
                i++;
                continue;
            }
            break;
        }
        if (i > from && i < line.length() && line.charAt(i) == ':'
                && (i + 1 == line.length() || line.charAt(i + 1) == ' ')) {
            return i + 1;
        }
        return -1;
    }

    private static List<Token> groovyLine(String line) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = line.length();
        int start = 0;
        while (i < n) {
            char c = line.charAt(i);
            if (c == '/' && i + 1 < n && line.charAt(i + 1) == '/') {
                add(tokens, Kind.PLAIN, line.substring(start, i));
                add(tokens, Kind.COMMENT, line.substring(i));
                return tokens;
            }
            if (c == '"' || c == '\'') {
                add(tokens, Kind.PLAIN, line.substring(start, i));
                boolean triple = line.startsWith(String.valueOf(c).repeat(3), i);
                int end = triple ? tripleEnd(line, i, c) : stringEnd(line, i, c, true);
                add(tokens, Kind.STRING, line.substring(i, end));
                i = end;
                start = i;
                continue;
            }
            if (Character.isJavaIdentifierStart(c) && (i == 0 || !Character.isJavaIdentifierPart(line.charAt(i - 1)))) {
                int end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(line.charAt(end))) {
                    end++;
                }
                String word = line.substring(i, end);
                if (GROOVY_KEYWORDS.contains(word)) {
                    add(tokens, Kind.PLAIN, line.substring(start, i));
                    add(tokens, Kind.KEYWORD, word);
                    start = end;
                }
                i = end;
                continue;
            }
            i++;
        }
        add(tokens, Kind.PLAIN, line.substring(start));
        return tokens;
    }

    /** The index after the string opened at {@code open}; an unclosed string runs to the end of the line. */
    private static int stringEnd(String line, int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                // YAML single quotes escape themselves by doubling.
                if (!backslashEscapes && i + 1 < line.length() && line.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return line.length();
    }

    private static int tripleEnd(String line, int open, char quote) {
        int close = line.indexOf(String.valueOf(quote).repeat(3), open + 3);
        return close < 0 ? line.length() : close + 3;
    }

    private static void add(List<Token> tokens, Kind kind, String text) {
        if (!text.isEmpty()) {
            tokens.add(new Token(kind, text));
        }
    }
}
