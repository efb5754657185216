package neural.mlops.ci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The shell scripts of a generated pipeline, and the {@code neural-mlops} invocations in them as
 * argument lists, with shell variables replaced by sample values, as a shell would pass them.
 */
public final class PipelineScripts {

    /** {@code neural-mlops} where a shell expects a command: line start, after $(, ;, |, &, then, do, else, !. */
    private static final Pattern INVOCATION = Pattern.compile(
            "(?:^[ \\t]*|\\$\\([ \\t]*|[;&|][ \\t]*|(?:^|\\s)(?:then|do|else|!)[ \\t]+)neural-mlops(?=[ \\t]|$)",
            Pattern.MULTILINE);

    private PipelineScripts() {
    }

    /** Loads a YAML pipeline the way the platforms do: plain data, no custom types. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> yaml(String text) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(loaded instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("Not a YAML mapping");
        }
        return (Map<String, Object>) loaded;
    }

    /** Every shell script of the pipeline, in document order. */
    public static List<String> of(Platform platform, String pipeline) {
        if (platform == Platform.JENKINS) {
            return JenkinsfileParser.shellScripts(pipeline);
        }
        List<String> scripts = new ArrayList<>();
        collect(yaml(pipeline), scripts);
        return scripts;
    }

    private static void collect(Object node, List<String> scripts) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                boolean script = key.equals("run") || key.equals("script") || key.equals("before_script")
                        || key.equals("after_script") || key.equals("inlineScript");
                if (script && entry.getValue() instanceof String text) {
                    scripts.add(text);
                } else if (script && entry.getValue() instanceof List<?> list) {
                    list.forEach(item -> scripts.add(String.valueOf(item)));
                } else {
                    collect(entry.getValue(), scripts);
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, scripts));
        }
    }

    /**
     * Each {@code neural-mlops} invocation in {@code script}, as the arguments after the command
     * name. Line continuations are joined and comment lines skipped; {@code $VAR}, {@code ${VAR}}
     * and {@code ${VAR:-x}} take their value from {@code samples} (else "sample"), and a command
     * substitution becomes "sample-output".
     */
    public static List<List<String>> invocations(String script, Map<String, String> samples) {
        String joined = script.replace("\\\n", " ");
        StringBuilder code = new StringBuilder();
        for (String line : joined.split("\n", -1)) {
            code.append(line.strip().startsWith("#") ? "" : line).append('\n');
        }
        List<List<String>> found = new ArrayList<>();
        Matcher matcher = INVOCATION.matcher(code);
        while (matcher.find()) {
            found.add(words(code.toString(), matcher.end(), samples));
        }
        return found;
    }

    static List<String> words(String s, int start, Map<String, String> samples) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = start;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n' || c == ';' || c == '|' || c == '&' || c == ')' || c == '>' || c == '<' || (c == '#' && !inWord)) {
                break;
            }
            if (c == ' ' || c == '\t') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
                continue;
            }
            inWord = true;
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                word.append(s, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(s, i + 1, word, samples);
            } else if (c == '\\') {
                word.append(s.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                i = expansion(s, i, word, samples);
            } else {
                word.append(c);
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static int doubleQuoted(String s, int i, StringBuilder word, Map<String, String> samples) {
        while (s.charAt(i) != '"') {
            char c = s.charAt(i);
            if (c == '\\' && "$`\"\\".indexOf(s.charAt(i + 1)) >= 0) {
                word.append(s.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                i = expansion(s, i, word, samples);
            } else {
                word.append(c);
                i++;
            }
        }
        return i + 1;
    }

    private static int expansion(String s, int i, StringBuilder word, Map<String, String> samples) {
        if (i + 1 < s.length() && s.charAt(i + 1) == '(') {
            int depth = 0;
            int j = i + 1;
            boolean quoted = false;
            for (; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && c == '(') {
                    depth++;
                } else if (!quoted && c == ')' && --depth == 0) {
                    break;
                }
            }
            word.append("sample-output");
            return j + 1;
        }
        if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
            int end = s.indexOf('}', i);
            String inner = s.substring(i + 2, end);
            String name = inner.split("[:#%]", 2)[0];
            word.append(samples.getOrDefault(name, "sample"));
            return end + 1;
        }
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        if (j == i + 1) {
            word.append('$');
            return j;
        }
        word.append(samples.getOrDefault(s.substring(i + 1, j), "sample"));
        return j;
    }
}
