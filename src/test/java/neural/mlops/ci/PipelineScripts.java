package neural.mlops.ci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.ci.JenkinsfileParser.Node;
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

    /**
     * One shell step of a job: its name, its script, and the variables the job or step adds to the
     * pipeline's own ({@link #variables}), as written in the file (platform macros unexpanded).
     */
    public record Step(String name, String script, Map<String, String> env) {
    }

    /** The pipeline-wide variables: GitLab's and Azure's {@code variables:}, Jenkins' {@code environment {}}. */
    public static Map<String, String> variables(Platform platform, String pipeline) {
        Map<String, String> values = new LinkedHashMap<>();
        switch (platform) {
            case JENKINS -> JenkinsfileParser.parse(pipeline).get(0).child("environment").orElseThrow().children()
                    .forEach(entry -> values.put(entry.name(), entry.strings().get(0)));
            case GITHUB -> strings(yaml(pipeline).get("env"), values);
            default -> strings(yaml(pipeline).get("variables"), values);
        }
        return values;
    }

    /**
     * The shell steps of one job, in order. GitLab: the job's {@code before_script} and
     * {@code script} items (which the runner runs in one shell), with the job's variables. Azure:
     * the steps of the stage's job (named by the stage), with the job's variables and each step's
     * {@code env}. Jenkins: the {@code sh} steps of the stage (nested stages searched), its
     * {@code post} left out. GitHub: the job's {@code run} steps with its and their {@code env}.
     */
    @SuppressWarnings("unchecked")
    public static List<Step> steps(Platform platform, String pipeline, String job) {
        List<Step> steps = new ArrayList<>();
        if (platform == Platform.JENKINS) {
            Node stage = jenkinsStage(JenkinsfileParser.parse(pipeline).get(0).child("stages").orElseThrow(), job)
                    .orElseThrow(() -> new IllegalArgumentException("No stage " + job));
            collectSh(stage.child("steps").orElseThrow(), job, steps);
            return steps;
        }
        Map<String, Object> document = yaml(pipeline);
        if (platform == Platform.GITLAB) {
            Map<String, Object> definition = (Map<String, Object>) document.get(job);
            Map<String, String> env = strings(definition.get("variables"), new LinkedHashMap<>());
            for (String key : List.of("before_script", "script")) {
                if (definition.get(key) instanceof List<?> items) {
                    items.forEach(item -> steps.add(new Step(job + " " + key, String.valueOf(item), env)));
                }
            }
            return steps;
        }
        Map<String, Object> definition;
        List<Object> list;
        if (platform == Platform.GITHUB) {
            definition = (Map<String, Object>) ((Map<String, Object>) document.get("jobs")).get(job);
            list = (List<Object>) definition.get("steps");
        } else {
            Map<String, Object> stage = ((List<Map<String, Object>>) document.get("stages")).stream()
                    .filter(candidate -> job.equals(candidate.get("stage"))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("No stage " + job));
            definition = ((List<Map<String, Object>>) stage.get("jobs")).stream()
                    .filter(candidate -> !"server".equals(candidate.get("pool"))).findFirst().orElseThrow();
            list = definition.containsKey("strategy")
                    ? (List<Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) definition
                            .get("strategy")).get("runOnce")).get("deploy")).get("steps")
                    : (List<Object>) definition.get("steps");
        }
        Map<String, String> jobEnv = strings(definition.get(platform == Platform.GITHUB ? "env" : "variables"),
                new LinkedHashMap<>());
        for (Object item : list) {
            Map<String, Object> step = (Map<String, Object>) item;
            Object script = step.containsKey("run") ? step.get("run") : step.containsKey("script") ? step.get("script")
                    : step.get("inputs") instanceof Map<?, ?> inputs ? inputs.get("inlineScript") : null;
            if (script instanceof String text) {
                Map<String, String> env = new LinkedHashMap<>(jobEnv);
                strings(step.get("env"), env);
                Object name = step.containsKey("name") ? step.get("name") : step.get("displayName");
                steps.add(new Step(String.valueOf(name), text, env));
            }
        }
        return steps;
    }

    private static Map<String, String> strings(Object map, Map<String, String> into) {
        if (map instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> into.put(String.valueOf(key), String.valueOf(value)));
        }
        return into;
    }

    private static Optional<Node> jenkinsStage(Node stages, String name) {
        for (Node stage : stages.children("stage")) {
            if (stage.strings().get(0).equals(name)) {
                return Optional.of(stage);
            }
            Optional<Node> inner = stage.child("stages").flatMap(nested -> jenkinsStage(nested, name));
            if (inner.isPresent()) {
                return inner;
            }
        }
        return Optional.empty();
    }

    private static void collectSh(Node node, String stage, List<Step> steps) {
        for (Node child : node.children()) {
            if (child.name().equals("sh") && !child.block()) {
                steps.add(new Step(stage + " sh " + (steps.size() + 1), child.strings().get(0), Map.of()));
            } else if (child.block()) {
                collectSh(child, stage, steps);
            }
        }
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
