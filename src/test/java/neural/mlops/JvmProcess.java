package neural.mlops;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a real JVM on the test class path, for tests that need a second process or a crash. */
public final class JvmProcess {

    private JvmProcess() {
    }

    /** Starts {@code mainClass} with {@code args}; its output is merged and readable from the process. */
    public static Process start(Class<?> mainClass, String... args) throws IOException {
        return start(List.of(), mainClass.getName(), args);
    }

    public static Process start(List<String> jvmOptions, String mainClass, String... args) throws IOException {
        return start(jvmOptions, Map.of(), mainClass, args);
    }

    /** As {@link #start(List, String, String...)}, with {@code environment} added to this process's. */
    public static Process start(List<String> jvmOptions, Map<String, String> environment, String mainClass,
                                String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-Dneural.mlops.home=" + System.getProperty("neural.mlops.home", "target/test-home"));
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")); // the build's own, inside target/
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Reads lines from the process until one equals {@code expected}; fails if the process ends first. */
    public static void awaitLine(Process process, String expected) throws IOException {
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = reader.readLine()) != null) {
            if (line.equals(expected)) {
                return;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("Process ended before printing '" + expected + "'; it printed:\n" + seen);
    }
}
