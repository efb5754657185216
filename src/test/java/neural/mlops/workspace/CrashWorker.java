package neural.mlops.workspace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.EventType;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.store.MlopsException;

/**
 * The process that {@link CrashTest} kills: it opens a workspace through {@link Workspace} (the
 * real wiring, fail-closed audit) and does registrations, promotions, deployments, activations,
 * rollbacks and audit appends at random, without pause, until it is killed.
 *
 * <p>{@code CrashWorker SCRATCH SEED MODEL_FILE...}: it first warms up on a scratch workspace of
 * its own (one operation of each kind, so that the kills land in loaded, compiled code, and so
 * that the test can start it while it still checks the previous kill) and prints {@value #WARM};
 * then it reads {@code WORKSPACE CYCLE JOURNAL} from its standard input, prints {@value #READY}
 * and works on that workspace. Before each operation it appends {@code begin <operation>
 * <arguments>} to the journal and after it {@code end} (or {@code refused <message>} when the
 * stores refused it, as a conflict is refused). The journal is not flushed to disk: a killed
 * process does not need that, the page cache outlives it. It gives up with status
 * {@value #GAVE_UP} if nobody kills it within a minute, and ends quietly when its input closes.
 */
public final class CrashWorker {

    static final String WARM = "warm";
    static final String READY = "ready";
    static final int GAVE_UP = 3;
    static final List<String> MODELS = List.of("m0", "m1", "m2");
    static final List<String> ENVIRONMENTS = List.of("staging", "production");
    static final String USER = "worker";

    private final Workspace workspace;
    private final Random random;
    private final String cycle;
    private final FileChannel journal;
    private final List<Path> modelFiles;
    private int registered;

    private CrashWorker(Workspace workspace, Random random, String cycle, FileChannel journal, List<Path> modelFiles) {
        this.workspace = workspace;
        this.random = random;
        this.cycle = cycle;
        this.journal = journal;
        this.modelFiles = modelFiles;
    }

    public static void main(String[] args) throws Exception {
        Random random = new Random(Long.parseLong(args[1]));
        List<Path> modelFiles = List.of(args).subList(2, args.length).stream().map(Path::of).toList();
        Path scratch = Path.of(args[0]);
        try (FileChannel journal = open(scratch.resolve("journal.txt"))) {
            CrashWorker warmUp = new CrashWorker(Workspace.open(scratch, USER), random, "0", journal,
                    modelFiles.subList(0, 1));
            for (int kind = 0; kind < 5; kind++) {
                warmUp.step(kind);
            }
        }
        System.out.println(WARM);
        System.out.flush();
        String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (go == null) {
            return;
        }
        String[] words = go.split(" ");
        try (FileChannel journal = open(Path.of(words[2]))) {
            CrashWorker worker = new CrashWorker(Workspace.open(Path.of(words[0]), USER), random, words[1], journal,
                    modelFiles);
            System.out.println(READY);
            System.out.flush();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                worker.step(random.nextInt(5));
            }
        }
        System.exit(GAVE_UP);
    }

    private static FileChannel open(Path journal) throws IOException {
        return FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void step(int kind) throws IOException {
        try {
            switch (kind) {
                case 0 -> register();
                case 1 -> promote();
                case 2 -> deployAndActivate();
                case 3 -> rollBackOrDeactivate();
                default -> audit();
            }
        } catch (MlopsException refused) {
            // Conflicts and the like are answers, not crashes: the next operation goes on.
            journal("refused " + refused.getClass().getSimpleName() + " " + refused.getMessage().replaceAll("\\R", " "));
        }
    }

    private void register() throws IOException {
        String model = pick(MODELS);
        String version = "v" + cycle + "." + registered++ + ".0";
        ModelStage stage = pick(List.of(ModelStage.DEVELOPMENT, ModelStage.STAGING, ModelStage.PRODUCTION));
        Path file = pick(modelFiles);
        journal("begin register " + model + " " + version + " " + stage.value() + " " + file);
        workspace.registry().registerModel(RegisterRequest.builder(model, version, file).framework("pytorch")
                .metric("accuracy", random.nextDouble()).stage(stage).config(Map.of("epochs", random.nextInt(100)))
                .build());
        journal("end");
    }

    private void promote() throws IOException {
        List<ModelVersion> versions = workspace.registry().listVersions(pick(MODELS));
        if (versions.isEmpty()) {
            return;
        }
        ModelVersion version = pick(versions);
        ModelStage target = pick(List.of(ModelStage.STAGING, ModelStage.PRODUCTION, ModelStage.ARCHIVED));
        journal("begin promote " + version.name() + " " + version.version() + " " + target.value());
        workspace.registry().promoteModel(version.name(), version.version(), target, "crash test");
        journal("end");
    }

    private void deployAndActivate() throws IOException {
        List<ModelVersion> versions = workspace.registry().listVersions(pick(MODELS));
        if (versions.isEmpty()) {
            return;
        }
        ModelVersion version = pick(versions);
        String environment = pick(ENVIRONMENTS);
        journal("begin create " + version.name() + " " + version.version() + " " + environment);
        String id = workspace.deployments().createDeployment(version.name(), version.version(), environment,
                "http://localhost:8080/" + version.name()).id();
        journal("end");
        journal("begin activate " + id);
        workspace.deployments().activateDeployment(id, "crash test");
        journal("end");
    }

    private void rollBackOrDeactivate() throws IOException {
        String model = pick(MODELS);
        String environment = pick(ENVIRONMENTS);
        if (random.nextBoolean()) {
            journal("begin rollback " + model + " " + environment);
            workspace.deployments().rollback(model, environment, "crash test");
        } else {
            List<Deployment> active = workspace.deployments().listDeployments(environment, model, DeploymentStatus.ACTIVE);
            if (active.isEmpty()) {
                return;
            }
            journal("begin deactivate " + active.get(0).deploymentId());
            workspace.deployments().deactivateDeployment(active.get(0).deploymentId(), "crash test");
        }
        journal("end");
    }

    private void audit() throws IOException {
        journal("begin audit");
        workspace.audit().record(AuditRecord.of(EventType.CONFIG_CHANGED, USER, "workspace", "settings", "edit",
                Map.of("n", random.nextInt(1000), "api_token", "hunter2")));
        journal("end");
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private void journal(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            journal.write(bytes);
        }
    }
}
