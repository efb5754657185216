package neural.mlops.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import neural.mlops.JvmProcess;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.store.Json;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.CountingStorage;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.TestStorages;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment tracker's guarantees (SPEC 2.2, 3.2), written once and run on every storage
 * backend (STYLE 14): its documents at the SPEC 2 keys, ids claimed by create, status changes
 * written conditionally, one active deployment per model and environment whoever activates at
 * once, and unreadable documents reported rather than fatal.
 */
abstract class DeploymentStoreContract {

    static final Instant START = Instant.parse("2024-01-15T12:00:00Z");
    static final String ENDPOINT = "http://127.0.0.1:1/predict";

    @TempDir
    Path folder;

    Storage workspace;
    Storage root;
    TestClock clock;
    List<AuditRecord> audit;
    DeploymentManager manager;

    abstract TestStorages.Backend backend();

    @BeforeEach
    void open() {
        workspace = TestStorages.create(backend(), folder.resolve("workspace"));
        root = workspace.under("deployments");
        clock = new TestClock(START);
        audit = new CopyOnWriteArrayList<>();
        manager = new DeploymentManager(root, ModelCatalog.NONE, audit::addAll, "alice", clock);
    }

    @AfterEach
    void close() {
        workspace.close();
    }

    @Test
    void aDeploymentIsCreatedActivatedReplacedRolledBackAndDeactivatedAtItsSpecKey() {
        String first = manager.createDeployment("fraud", "v1", "production", ENDPOINT).id();
        clock.advance(Duration.ofSeconds(1));
        String second = manager.createDeployment("fraud", "v2", "production", ENDPOINT).id();

        manager.activateDeployment(first);
        clock.advance(Duration.ofSeconds(1));
        Deployment activated = manager.activateDeployment(second, "release 2");

        assertThat(activated.replaces()).isEqualTo(first);
        assertThat(manager.getDeployment(first).status()).isEqualTo(DeploymentStatus.INACTIVE);
        assertThat(manager.activeDeployment("fraud", "production")).map(Deployment::deploymentId).contains(second);

        clock.advance(Duration.ofSeconds(1));
        Rollback rollback = manager.rollback("fraud", "production", "bad recall");

        assertThat(rollback.rolledBack().deploymentId()).isEqualTo(second);
        assertThat(rollback.rolledBack().status()).isEqualTo(DeploymentStatus.ROLLED_BACK);
        assertThat(manager.getDeployment(second).status()).isEqualTo(DeploymentStatus.ROLLED_BACK);
        assertThat(manager.activeDeployment("fraud", "production")).map(Deployment::deploymentId).contains(first);

        manager.deactivateDeployment(first, "maintenance");
        assertThat(manager.activeDeployment("fraud", "production")).isEmpty();
        assertThat(workspace.stat(Key.of("deployments", first + ".json"))).isPresent();
        ObjectNode stored = Json.parseObject(workspace.read(Key.of("deployments", second + ".json"), 1 << 20)
                .orElseThrow().content(), Path.of(second));
        assertThat(stored.get("status").asText()).isEqualTo("rolled_back");
        assertThat(audit).extracting(AuditRecord::type).containsExactly(EventType.DEPLOYMENT_CREATED,
                EventType.DEPLOYMENT_CREATED, EventType.DEPLOYMENT_ACTIVATED, EventType.DEPLOYMENT_ACTIVATED,
                EventType.DEPLOYMENT_ROLLED_BACK, EventType.DEPLOYMENT_DEACTIVATED);
    }

    @Test
    void twoDeploymentsOfOneVersionCreatedInTheSameSecondGetDistinctIds() {
        String first = manager.createDeployment("fraud", "v1", "production", ENDPOINT).id();
        String second = manager.createDeployment("fraud", "v1", "production", ENDPOINT).id();

        assertThat(first).isEqualTo("deploy_20240115_120000_fraud_v1");
        assertThat(second).isEqualTo(first + "_2");
    }

    @Test
    void twoThreadsCreatingInTheSameSecondClaimDistinctIds() throws Exception {
        int each = 4;
        List<String> ids = race(2, writer -> {
            DeploymentManager own = new DeploymentManager(root, ModelCatalog.NONE, AuditSink.NONE, "w" + writer, clock);
            List<String> created = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                created.add(own.createDeployment("fraud", "v1", "production", ENDPOINT).id());
            }
            return created;
        });

        assertThat(ids).hasSize(2 * each).doesNotHaveDuplicates();
        assertThat(manager.listDeployments(null, null, null)).extracting(Deployment::deploymentId)
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aDocumentChangedByAnotherWriterMeanwhileIsReadAgainAndItsChangeKept() {
        String id = manager.createDeployment("fraud", "v1", "production", ENDPOINT).id();
        Key key = Key.of(id + ".json");
        AtomicBoolean interfered = new AtomicBoolean();
        // Between the plan and its write, another tool adds a field: the conditional write must notice.
        DeploymentManager raced = new DeploymentManager(root, ModelCatalog.NONE, group -> {
            audit.addAll(group);
            if (interfered.compareAndSet(false, true)) {
                var current = root.read(key, 1 << 20).orElseThrow();
                ObjectNode document = Json.parseObject(current.content(), Path.of(id));
                document.put("ticket", "OPS-7");
                root.replace(key, Json.bytes(Path.of(id), document), current.version());
            }
        }, "alice", clock);

        raced.activateDeployment(id);

        ObjectNode stored = Json.parseObject(root.read(key, 1 << 20).orElseThrow().content(), Path.of(id));
        assertThat(stored.get("status").asText()).isEqualTo("active");
        assertThat(stored.get("ticket").asText()).isEqualTo("OPS-7");
        assertThat(audit).extracting(AuditRecord::type, AuditRecord::outcome).containsExactly(
                tuple(EventType.DEPLOYMENT_CREATED, Outcome.SUCCESS),
                tuple(EventType.DEPLOYMENT_ACTIVATED, Outcome.SUCCESS),
                tuple(EventType.DEPLOYMENT_ACTIVATED, Outcome.FAILURE),
                tuple(EventType.DEPLOYMENT_ACTIVATED, Outcome.SUCCESS));
    }

    @Test
    void twoActiveDeploymentsLeftByARaceAreSettledByTheNextActivation() {
        String a = manager.createDeployment("fraud", "v1", "production", ENDPOINT).id();
        String b = manager.createDeployment("fraud", "v2", "production", ENDPOINT).id();
        String c = manager.createDeployment("fraud", "v3", "production", ENDPOINT).id();
        markActive(a, "2024-01-15T12:00:01Z");
        markActive(b, "2024-01-15T12:00:02Z");

        assertThat(manager.activeDeployment("fraud", "production")).map(Deployment::deploymentId).contains(b);
        clock.advance(Duration.ofMinutes(1));
        assertThat(manager.activateDeployment(c).replaces()).isEqualTo(b);

        assertThat(manager.listDeployments("production", "fraud", DeploymentStatus.ACTIVE))
                .extracting(Deployment::deploymentId).containsExactly(c);
        // a's deactivation is not implied by c's recorded activation (which replaced b): it is recorded on its own.
        assertThat(audit).filteredOn(r -> r.type() == EventType.DEPLOYMENT_DEACTIVATED)
                .extracting(AuditRecord::resourceId).containsExactly(a);
    }

    @Test
    void aHealthProbeIsRecordedInTheDocumentWithoutLosingItsStatus() {
        try (TestEndpoint endpoint = new TestEndpoint()) {
            String id = manager.createDeployment("fraud", "v1", "production", endpoint.url("/ok")).id();
            manager.activateDeployment(id);

            HealthCheck check = manager.checkHealth(id);

            assertThat(check.ok()).isTrue();
            Deployment stored = manager.getDeployment(id);
            assertThat(stored.health()).isEqualTo(check);
            assertThat(stored.status()).isEqualTo(DeploymentStatus.ACTIVE);
        }
    }

    @Test
    void aHealthProbeReadsItsOwnDocumentWithoutListingTheStore() {
        try (TestEndpoint endpoint = new TestEndpoint()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(manager.createDeployment("model" + i, "v1", "production", endpoint.url("/ok")).id());
            }
            CountingStorage counted = new CountingStorage(root);
            DeploymentManager probing = new DeploymentManager(counted, ModelCatalog.NONE, audit::addAll, "alice", clock);

            HealthCheck check = probing.checkHealth(ids.get(7));

            assertThat(check.ok()).isTrue();
            assertThat(counted.lists.get()).as("listings of the store").isZero();
            assertThat(manager.getDeployment(ids.get(7)).health()).isEqualTo(check);
            assertThat(manager.getDeployment(ids.get(8)).health()).isNull();
        }
    }

    @Test
    void aHealthProbeFindsADocumentNamedOtherwiseThroughTheStore() {
        try (TestEndpoint endpoint = new TestEndpoint()) {
            String id = manager.createDeployment("fraud", "v1", "production", endpoint.url("/ok")).id();
            Key own = Key.of(id + ".json");
            Document document = root.read(own, 1 << 20).orElseThrow();
            root.create(Key.of("renamed_by_hand.json"), document.content());
            root.delete(own, Condition.matches(document.version()));

            HealthCheck check = manager.checkHealth(id);

            assertThat(check.ok()).isTrue();
            assertThat(manager.getDeployment(id).health()).isEqualTo(check);
            assertThat(root.stat(own)).isEmpty();
        }
    }

    @Test
    void aCopyUnderAnotherNameIsIgnoredInFavourOfTheDocumentAtItsOwnKey() {
        String id = manager.createDeployment("fraud", "v1", "production", ENDPOINT).id();
        String own = new String(root.read(Key.of(id + ".json"), 1 << 20).orElseThrow().content(), StandardCharsets.UTF_8);
        // Sorts before deploy_...: listed first, yet the document at the id's own key is the one kept.
        root.create(Key.of("a_copy.json"), own.replace("\"production\"", "\"staging\"").getBytes(StandardCharsets.UTF_8));

        assertThat(manager.listDeployments(null, null, null)).singleElement()
                .extracting(Deployment::environment).isEqualTo("production");
        assertThat(manager.getDeployment(id).environment()).isEqualTo("production");
        assertThat(manager.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.file().getFileName().toString()).isEqualTo("a_copy.json");
            assertThat(problem.message()).contains("same deployment_id", id + ".json", "ignored");
        });
    }

    @Test
    void corruptDocumentsAreReportedAndLeftWhileTheRestLoads() {
        String good = manager.createDeployment("fraud", "v1", "production", ENDPOINT).id();
        root.create(Key.of("deploy_broken.json"), "{\"deployment_id\": ".getBytes(StandardCharsets.UTF_8));
        root.create(Key.of("deploy_odd.json"), ("{\"deployment_id\": \"x\", \"model_name\": \"m\", \"model_version\": "
                + "\"v\", \"environment\": \"e\", \"endpoint\": \"http://h\", \"status\": \"exploded\", "
                + "\"created_at\": \"2024-01-15T12:00:00Z\"}").getBytes(StandardCharsets.UTF_8));

        assertThat(manager.listDeployments(null, null, null)).extracting(Deployment::deploymentId).containsExactly(good);
        assertThat(manager.problems()).hasSize(2);
        assertThat(manager.problems()).extracting(p -> p.file().getFileName().toString())
                .containsExactlyInAnyOrder("deploy_broken.json", "deploy_odd.json");
        assertThat(manager.problems()).filteredOn(p -> p.file().endsWith("deploy_odd.json")).singleElement()
                .extracting(DocumentProblem::message).asString().contains("exploded");

        manager.activateDeployment(good);
        assertThat(new String(root.read(Key.of("deploy_broken.json"), 1024).orElseThrow().content(),
                StandardCharsets.UTF_8)).isEqualTo("{\"deployment_id\": ");
    }

    @Test
    void twoThreadsActivatingAtOnceLeaveExactlyOneActive() throws Exception {
        int each = 3;
        List<List<String>> ids = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < each; i++) {
            ids.get(0).add(manager.createDeployment("fraud", "v1." + i, "production", ENDPOINT).id());
            ids.get(1).add(manager.createDeployment("fraud", "v2." + i, "production", ENDPOINT).id());
        }

        race(2, writer -> {
            // The system clock: each activation gets its own time, as on two machines.
            DeploymentManager own = new DeploymentManager(root, ModelCatalog.NONE, AuditSink.NONE, "w" + writer,
                    java.time.Clock.systemUTC());
            for (String id : ids.get(writer)) {
                own.activateDeployment(id);
            }
            return List.<String>of();
        });

        assertExactlyOneActiveOf(2 * each);
    }

    @Test
    void twoProcessesActivatingAtOnceLeaveExactlyOneActive() throws Exception {
        int each = 3;
        List<String> first = new ArrayList<>(TestStorages.arguments(workspace));
        List<String> second = new ArrayList<>(TestStorages.arguments(workspace));
        for (int i = 0; i < each; i++) {
            first.add(manager.createDeployment("fraud", "v1." + i, "production", ENDPOINT).id());
            second.add(manager.createDeployment("fraud", "v2." + i, "production", ENDPOINT).id());
        }

        Process a = JvmProcess.start(DeploymentActivationChild.class, first.toArray(String[]::new));
        Process b = JvmProcess.start(DeploymentActivationChild.class, second.toArray(String[]::new));
        try {
            JvmProcess.awaitLine(a, DeploymentActivationChild.READY);
            JvmProcess.awaitLine(b, DeploymentActivationChild.READY);
            go(a);
            go(b);
            assertFinished(a);
            assertFinished(b);
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }

        assertExactlyOneActiveOf(2 * each);
    }

    // Helpers

    private void assertExactlyOneActiveOf(int count) {
        List<Deployment> all = manager.listDeployments("production", "fraud", null);
        assertThat(all).hasSize(count);
        assertThat(all).filteredOn(Deployment::isActive).hasSize(1);
        assertThat(all).filteredOn(d -> !d.isActive())
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(DeploymentStatus.INACTIVE));
        assertThat(manager.activeDeployment("fraud", "production")).isPresent();
        assertThat(manager.problems()).isEmpty();
    }

    /** Writes a deployment as active at {@code at} behind the tracker's back, as a writer that raced it would. */
    private void markActive(String id, String at) {
        Key key = Key.of(id + ".json");
        var current = root.read(key, 1 << 20).orElseThrow();
        ObjectNode document = Json.parseObject(current.content(), Path.of(id));
        document.put("status", "active");
        document.put("activated_at", at);
        root.replace(key, Json.bytes(Path.of(id), document), current.version());
    }

    /** Runs {@code writers} copies of {@code body} at once (each told its number) and returns everything they returned. */
    private static List<String> race(int writers, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                int number = writer;
                Callable<List<String>> task = () -> {
                    start.await();
                    return body.run(number);
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> result : results) {
                all.addAll(result.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Body {
        List<String> run(int number) throws Exception;
    }

    private static void go(Process process) throws Exception {
        java.io.Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        in.write("go\n");
        in.flush();
    }

    private static void assertFinished(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
