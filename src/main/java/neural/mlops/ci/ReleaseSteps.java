package neural.mlops.ci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import neural.mlops.store.MlopsException;

/**
 * The release steps all four pipelines share (tag provenance, finding the build by commit,
 * verifying, the production request, promotion and deployment), kept once in
 * {@code ci_templates/release_steps.sh} so that the platforms cannot drift apart. A template
 * places a section with {@code <%#release_step%>10 verify<%/release_step%>} on a line of its own:
 * the section's lines, each indented by 10 spaces, escaped for the platform.
 */
final class ReleaseSteps {

    private static final String RESOURCE = "/neural/mlops/ci/ci_templates/release_steps.sh";
    private static final String DEPLOY_COMMAND_LINE = "@DEPLOY_COMMAND@";
    private static final String CONFIG_OPTION_LINE = "@CONFIG_OPTION@";
    private static final Map<String, String> SECTIONS = load();

    private ReleaseSteps() {
    }

    /**
     * The Mustache lambda for one pipeline: {@code deploy_command} (the user's, possibly empty)
     * takes the place of its marker line, the registration's {@code --config} is there only when
     * {@code config_file} is given, and {@code escape} prepares each line for the script block it
     * lands in (identity for YAML block scalars, Groovy escaping for Jenkins).
     */
    static Function<String, String> lambda(CiParameters parameters, UnaryOperator<String> escape) {
        String deployCommand = parameters.get(CiParameters.DEPLOY_COMMAND);
        boolean config = !parameters.get(CiParameters.CONFIG_FILE).isEmpty();
        return spec -> {
            String[] words = spec.strip().split("\\s+");
            if (words.length != 2 || !words[0].matches("\\d{1,2}") || !SECTIONS.containsKey(words[1])) {
                throw new IllegalStateException("A CI template asks for the release step '" + spec.strip()
                        + "'; expected an indent and one of " + SECTIONS.keySet());
            }
            String indent = " ".repeat(Integer.parseInt(words[0]));
            StringBuilder out = new StringBuilder();
            for (String line : SECTIONS.get(words[1]).split("\n")) {
                if (line.equals(DEPLOY_COMMAND_LINE)) {
                    if (deployCommand.isEmpty()) {
                        continue;
                    }
                    line = "  " + deployCommand;
                } else if (line.equals(CONFIG_OPTION_LINE)) {
                    if (!config) {
                        continue;
                    }
                    line = "  --config \"$REGISTER_CONFIG\" \\";
                }
                out.append(line.isEmpty() ? "" : indent + escape.apply(line)).append('\n');
            }
            return out.toString().stripTrailing();
        };
    }

    private static Map<String, String> load() {
        String text;
        try (InputStream in = ReleaseSteps.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new MlopsException("The release steps " + RESOURCE + " are missing from the application; reinstall it");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MlopsException("Could not read the release steps " + RESOURCE + ": " + e.getMessage(), e);
        }
        Map<String, String> sections = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("## ")) {
                if (name != null) {
                    sections.put(name, body.toString());
                }
                name = line.substring(3).strip();
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            sections.put(name, body.toString());
        }
        return Map.copyOf(sections);
    }
}
