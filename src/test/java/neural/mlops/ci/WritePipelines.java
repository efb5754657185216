package neural.mlops.ci;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes every platform's pipeline for every {@link PipelineVariants variant} under a folder, for
 * the platforms' own validators (.ci/validate-pipelines): each variant in a folder of its own, at
 * the path its platform reads ({@code <folder>/<variant>/.github/workflows/mlops.yml},
 * {@code .gitlab-ci.yml}, {@code Jenkinsfile}, {@code azure-pipelines.yml}), and each shell script
 * the platform runs as a file of its own ({@code <variant>/scripts/<platform>/NN.sh}, its shell
 * named in a ShellCheck directive; a script already written for an earlier variant is not written again). A test-scope program because the variants are test fixtures.
 */
public final class WritePipelines {

    private WritePipelines() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: WritePipelines <output folder>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        CiTemplateGenerator generator = new CiTemplateGenerator();
        int written = 0;
        // Most scripts are the same in every variant: each is written once, where it first appears.
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, CiParameters> variant : PipelineVariants.all().entrySet()) {
            Path folder = out.resolve(variant.getKey());
            for (Platform platform : Platform.values()) {
                String pipeline = generator.generate(platform, variant.getValue());
                generator.saveTemplate(pipeline, folder.resolve(platform.conventionalPath()));
                written++;
                List<String> scripts = shellScripts(platform, pipeline);
                for (int i = 0; i < scripts.size(); i++) {
                    if (!seen.add(platform.value() + "\n" + scripts.get(i))) {
                        continue;
                    }
                    Path script = folder.resolve("scripts").resolve(platform.value()).resolve(String.format("%02d.sh", i + 1));
                    generator.saveTemplate("# shellcheck shell=" + shell(platform) + "\n" + scripts.get(i), script);
                }
            }
        }
        System.out.println("wrote " + written + " pipelines (" + PipelineVariants.all().size() + " variants, "
                + Platform.values().length + " platforms) and their shell scripts under " + out);
    }

    /**
     * The scripts as each platform hands them to a shell: GitLab runs a job's {@code before_script}
     * and {@code script} items in one shell (a variable one item sets, the next reads), and its
     * {@code after_script} in another; the other platforms run each step on its own.
     */
    static List<String> shellScripts(Platform platform, String pipeline) {
        if (platform != Platform.GITLAB) {
            return PipelineScripts.of(platform, pipeline);
        }
        List<String> scripts = new ArrayList<>();
        for (Object value : PipelineScripts.yaml(pipeline).values()) {
            if (value instanceof Map<?, ?> job && job.get("script") instanceof List<?>) {
                List<String> shell = new ArrayList<>();
                for (String key : List.of("before_script", "script")) {
                    if (job.get(key) instanceof List<?> items) {
                        items.forEach(item -> shell.add(String.valueOf(item)));
                    }
                }
                scripts.add(String.join("\n", shell));
                if (job.get("after_script") instanceof List<?> after) {
                    scripts.add(String.join("\n", after.stream().map(String::valueOf).toList()));
                }
            }
        }
        return scripts;
    }

    /** Jenkins' sh step runs /bin/sh (dash on Debian agents) for a script without #!; the others run bash. */
    private static String shell(Platform platform) {
        return platform == Platform.JENKINS ? "sh" : "bash";
    }
}
