package neural.mlops.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import neural.mlops.JvmProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes (a GUI and a pipeline, say) activating deployments of one model at once. */
class ConcurrentActivationTest {

    static final int PER_PROCESS = 8;

    @TempDir
    Path root;

    @Test
    void twoProcessesActivatingAtOnceLeaveExactlyOneActiveAndAnUnbrokenReplacesChain() throws Exception {
        DeploymentManager manager = new DeploymentManager(root);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < PER_PROCESS; i++) {
            first.add(manager.createDeployment("fraud_detector", "v1." + i, "production", "http://127.0.0.1:1/a").id());
            second.add(manager.createDeployment("fraud_detector", "v2." + i, "production", "http://127.0.0.1:1/b").id());
        }

        Process a = start(first);
        Process b = start(second);
        try {
            JvmProcess.awaitLine(a, Activator.READY);
            JvmProcess.awaitLine(b, Activator.READY);
            go(a);
            go(b);
            assertFinished(a);
            assertFinished(b);
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }

        List<Deployment> all = manager.listDeployments("production", "fraud_detector", null);
        assertThat(all).hasSize(2 * PER_PROCESS);
        assertThat(all).filteredOn(Deployment::isActive).hasSize(1);
        assertThat(all).filteredOn(d -> !d.isActive())
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(DeploymentStatus.INACTIVE));
        // Serialised activations each replaced the one before: the chain from the active one visits all.
        Map<String, Deployment> byId = all.stream().collect(Collectors.toMap(Deployment::deploymentId, Function.identity()));
        Set<String> visited = new HashSet<>();
        Deployment current = all.stream().filter(Deployment::isActive).findFirst().orElseThrow();
        while (current != null && visited.add(current.deploymentId())) {
            current = current.replaces() == null ? null : byId.get(current.replaces());
        }
        assertThat(visited).hasSize(2 * PER_PROCESS);
        assertThat(manager.problems()).isEmpty();
    }

    private Process start(List<String> ids) throws Exception {
        List<String> args = new ArrayList<>();
        args.add(root.toString());
        args.addAll(ids);
        return JvmProcess.start(Activator.class, args.toArray(String[]::new));
    }

    private static void go(Process process) throws Exception {
        Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        in.write("go\n");
        in.flush();
    }

    private static void assertFinished(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** Child process: says it is ready, waits for "go", then activates each id in turn. */
    public static final class Activator {
        static final String READY = "ready";

        public static void main(String[] args) throws Exception {
            DeploymentManager manager = new DeploymentManager(Path.of(args[0]));
            System.out.println(READY);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            for (int i = 1; i < args.length; i++) {
                manager.activateDeployment(args[i], "child activation " + i);
            }
        }
    }
}
