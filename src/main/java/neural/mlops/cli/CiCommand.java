package neural.mlops.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.ci.CiParameters;
import neural.mlops.ci.CiTemplateGenerator;
import neural.mlops.ci.Parameter;
import neural.mlops.ci.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ci list} and {@code ci generate} (SPEC 4): the CI/CD pipelines of SPEC 3.4. */
@Command(
        name = "ci",
        mixinStandardHelpOptions = true,
        description = "CI/CD pipelines for GitHub Actions, GitLab CI, Jenkins and Azure Pipelines.")
final class CiCommand {

    /**
     * Its commands, in the order help lists them. {@link Cli} adds them, not the annotation, so that
     * a command line that names one builds the model of that one only.
     */
    static final List<Class<?>> COMMANDS = List.of(
            CiCommand.ListCommand.class,
            CiCommand.GenerateCommand.class);

    /** {@code ci list}: the platforms and the parameters, with their defaults. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the platforms and the parameters a pipeline takes, with their defaults.")
    static final class ListCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            CliContext context = CliContext.of(spec);
            if (context.json()) {
                context.printJson(asJson());
                return;
            }
            PrintWriter out = context.out();
            out.println("Platforms (--platform):");
            for (Platform platform : Platform.values()) {
                out.printf("  %-8s %-16s %s%n", platform.value(), platform.displayName(),
                        platform.conventionalPath().toString().replace('\\', '/'));
            }
            out.println();
            out.println("Parameters (--set KEY=VALUE):");
            for (Parameter parameter : CiParameters.definitions()) {
                out.printf("  %-23s %s%n", parameter.name(), parameter.description());
                out.printf("  %-23s default: %s%n", "", parameter.defaultValue().isEmpty() ? "(none)"
                        : parameter.defaultValue());
            }
            out.flush();
        }

        private static Map<String, Object> asJson() {
            List<Map<String, Object>> platforms = new ArrayList<>();
            for (Platform platform : Platform.values()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", platform.value());
                entry.put("name", platform.displayName());
                entry.put("template", platform.templateName());
                entry.put("default_path", platform.conventionalPath().toString().replace('\\', '/'));
                platforms.add(entry);
            }
            List<Map<String, Object>> parameters = new ArrayList<>();
            for (Parameter parameter : CiParameters.definitions()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", parameter.name());
                entry.put("type", parameter.type().id());
                entry.put("default", parameter.defaultValue());
                entry.put("description", parameter.description());
                entry.put("rule", parameter.type().rule());
                parameters.add(entry);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("platforms", platforms);
            result.put("parameters", parameters);
            return result;
        }
    }

    /** {@code ci generate}: one platform's pipeline, to stdout or written atomically to a file. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate a pipeline: to stdout, or to a file with --out (folders are created).")
    static final class GenerateCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--platform", required = true, paramLabel = "PLATFORM",
                description = "github, gitlab, jenkins or azure.")
        String platform;

        @Option(names = "--out", paramLabel = "PATH",
                description = "Write the pipeline here (e.g. .github/workflows/mlops.yml) instead of to stdout.")
        Path out;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "Set a parameter (see 'ci list'); may be repeated.")
        List<String> assignments = new ArrayList<>();

        @Override
        public void run() {
            CliContext context = CliContext.of(spec);
            Platform target = Platform.parse(platform);
            CiParameters parameters = CiParameters.parse(assignments);
            CiTemplateGenerator generator = new CiTemplateGenerator();
            String pipeline = generator.generate(target, parameters);
            if (out == null) {
                if (context.json()) {
                    context.printJson(Map.of("platform", target.value(), "content", pipeline));
                } else {
                    context.out().print(pipeline);
                    context.out().flush();
                }
                return;
            }
            Path written = generator.saveTemplate(pipeline, out);
            if (context.json()) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("platform", target.value());
                result.put("path", written.toString());
                result.put("bytes", pipeline.getBytes(StandardCharsets.UTF_8).length);
                context.printJson(result);
            }
            context.message("Wrote the " + target.displayName() + " pipeline to " + written
                    + (written.endsWith(target.conventionalPath()) ? "" : " (the platform looks for "
                    + target.conventionalPath().toString().replace('\\', '/') + ")"));
        }
    }
}
