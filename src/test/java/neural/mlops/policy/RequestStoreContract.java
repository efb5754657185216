package neural.mlops.policy;

import static neural.mlops.policy.PolicyFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import neural.mlops.JvmProcess;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditSink;
import neural.mlops.registry.ActiveDeployments;
import neural.mlops.registry.AliasContext;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.MlopsException;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.TestStorages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promotion requests' guarantees (SPEC 8), written once and run on every storage backend
 * (STYLE 14): requests and workspace.yaml in the workspace storage under test, at their SPEC keys;
 * a request filed once however many file it at once; approvals given at once all counted, or one
 * refused, never lost; unreadable request documents reported. The registry the requests promote
 * in is the policy fixture's folder (it has a contract of its own).
 */
abstract class RequestStoreContract {

    static final String POLICY = ApprovalsTest.POLICY.replace("""
                staging:
                  allowed: [data_scientist, approver]
            """, """
                staging:
                  allowed: [data_scientist, approver]
                  approvals: 2
            """);
    static final Key V2_PRODUCTION = Key.of("models/requests/fraud_detector/v2.0.0/production.json");

    @TempDir
    Path dir;

    PolicyFixture fixture;
    Storage workspace;
    List<AuditRecord> audit;

    abstract TestStorages.Backend backend();

    @BeforeEach
    void open() {
        fixture = new PolicyFixture(dir);
        workspace = TestStorages.create(backend(), dir.resolve("remote"));
        audit = new CopyOnWriteArrayList<>();
        policy(2);
    }

    @AfterEach
    void close() {
        workspace.close();
    }

    @Test
    void aRequestIsFiledAtItsKeyApprovedAndCarriedOut() {
        PromotionRequest filed = as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");

        assertThat(workspace.stat(V2_PRODUCTION)).isPresent();
        assertThat(as("reader").requests(MODEL, false).requests()).extracting(PromotionRequest::requestId)
                .containsExactly(filed.requestId());

        ApprovalOutcome outcome = as("carol").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION);

        assertThat(outcome.promoted()).isTrue();
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
        PromotionRequest stored = as("reader").requests(MODEL, true).requests().get(0);
        assertThat(stored.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(stored.agreed()).containsExactly("alice", "carol");
        assertThat(as("reader").requests(MODEL, false).requests()).isEmpty();
    }

    @Test
    void anAliasRequestIsFiledApartFromStageRequestsAndItsApprovalIsSpentByOneAliasChange() {
        workspace.write(Key.of("workspace.yaml"), (POLICY + "  aliases:\n    champion: {allowed: [approver], approvals: 2}\n")
                .getBytes(StandardCharsets.UTF_8), Condition.none());
        as("alice").requestAlias(MODEL, "v2.0.0", "champion", "beats v1");
        as("carol").approveAlias(MODEL, "v2.0.0", "champion");

        assertThat(workspace.stat(Key.of("models/alias-requests/fraud_detector/v2.0.0/champion.json"))).isPresent();
        assertThat(as("reader").requests(MODEL, true).requests()).isEmpty();
        PolicyGuard guard = PolicyGuard.of(workspace.under("models"), workspace, audit::addAll);
        AliasContext change = new AliasContext(MODEL, "champion", null, "v2.0.0", "dave", null, null);

        guard.check(change);

        PromotionRequest stored = as("reader").aliasRequests(MODEL, true).requests().get(0);
        assertThat(stored.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(stored.closedBy()).isEqualTo("dave");
        assertThatThrownBy(() -> guard.check(change)).isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("policy.aliases.champion.approvals");
    }

    @Test
    void aRejectedRequestIsClosedAndANewOneMayReplaceIt() {
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");

        PromotionRequest rejected = as("carol").reject(MODEL, "v2.0.0", ModelStage.PRODUCTION, "not yet");
        PromotionRequest again = as("dave").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "retrained");

        assertThat(rejected.status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(again.requestId()).isNotEqualTo(rejected.requestId());
        assertThat(as("reader").requests(MODEL, false).requests()).extracting(PromotionRequest::requestedBy)
                .containsExactly("dave");
    }

    @Test
    void anUnreadableRequestDocumentIsReportedAndTheOthersStillList() {
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        workspace.create(Key.of("models/requests/other/v1/production.json"), "{ not json".getBytes(StandardCharsets.UTF_8));

        RequestListing listing = as("reader").requests(null, true);

        assertThat(listing.requests()).hasSize(1);
        assertThat(listing.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.path().toString()).endsWith("other/v1/production.json"));
    }

    @Test
    void aBrokenOrOversizedPolicyInTheWorkspaceStorageStopsGovernanceSayingWhere() {
        workspace.write(Key.of("workspace.yaml"), "policy:\n  stages:\n    production:\n      aproval: 2\n"
                .getBytes(StandardCharsets.UTF_8), Condition.none());

        assertThatThrownBy(() -> Policy.read(workspace)).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("line 4: unknown key 'aproval'");
        assertThatThrownBy(() -> as("alice")).isInstanceOf(PolicyFileException.class);

        workspace.write(Key.of("workspace.yaml"), new byte[SafeYaml.MAX_BYTES + 1], Condition.none());

        assertThatThrownBy(() -> Policy.read(workspace)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Refusing to act: the governance policy " + workspace.location())
                .hasMessageContaining("workspace.yaml");
    }

    @Test
    void twoThreadsApprovingAtOnceAreBothCounted() throws Exception {
        policy(3);
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");

        List<Object> outcomes = atOnce(List.of("carol", "dave"),
                user -> as(user).approve(MODEL, "v2.0.0", ModelStage.PRODUCTION));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(ApprovalOutcome.class));
        assertThat(outcomes).filteredOn(outcome -> ((ApprovalOutcome) outcome).promoted()).hasSize(1);
        PromotionRequest stored = as("reader").requests(MODEL, true).requests().get(0);
        assertThat(stored.agreed()).containsExactlyInAnyOrder("alice", "carol", "dave");
        assertThat(stored.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
    }

    @Test
    void ofTwoLastApprovalsGivenAtOnceOneCarriesItOutAndTheOtherIsRefused() throws Exception {
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");

        List<Object> outcomes = atOnce(List.of("carol", "dave"),
                user -> as(user).approve(MODEL, "v2.0.0", ModelStage.PRODUCTION));

        assertThat(outcomes).filteredOn(ApprovalOutcome.class::isInstance).singleElement()
                .satisfies(outcome -> assertThat(((ApprovalOutcome) outcome).promoted()).isTrue());
        assertThat(outcomes).filteredOn(MlopsException.class::isInstance).hasSize(1);
        PromotionRequest stored = as("reader").requests(MODEL, true).requests().get(0);
        assertThat(stored.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(stored.agreed()).hasSize(2).contains("alice");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
    }

    @Test
    void requestsFiledAtOnceAreEachFiledOnceWithDistinctIds() throws Exception {
        List<Object> outcomes = atOnce(List.of("carol", "dave", "alice"), user -> user.equals("alice")
                ? as(user).request(MODEL, "v4.0.0", ModelStage.STAGING, "promising")
                : as(user).request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1"));

        List<PromotionRequest> filed = outcomes.stream().filter(PromotionRequest.class::isInstance)
                .map(PromotionRequest.class::cast).toList();
        assertThat(filed).hasSize(2);
        assertThat(filed).extracting(PromotionRequest::requestId).doesNotHaveDuplicates();
        assertThat(outcomes).filteredOn(ConflictException.class::isInstance).singleElement().asString()
                .contains("already requested");
        assertThat(as("reader").requests(MODEL, false).requests()).extracting(PromotionRequest::requestId)
                .containsExactlyInAnyOrderElementsOf(filed.stream().map(PromotionRequest::requestId).toList());
    }

    @Test
    void twoProcessesApprovingAtOnceAreBothCounted() throws Exception {
        policy(3);
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        List<Process> processes = new ArrayList<>();
        try {
            for (String user : List.of("carol", "dave")) {
                List<String> args = new ArrayList<>(List.of(fixture.folder.toString(), user));
                args.addAll(TestStorages.arguments(workspace));
                Process process = JvmProcess.start(RequestApprovalChild.class, args.toArray(String[]::new));
                processes.add(process);
                JvmProcess.awaitLine(process, RequestApprovalChild.READY);
            }
            for (Process process : processes) {
                OutputStream go = process.getOutputStream();
                go.write("go\n".getBytes(StandardCharsets.UTF_8));
                go.flush();
            }
            List<String> outputs = new ArrayList<>();
            for (Process process : processes) {
                outputs.add(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            }

            assertThat(outputs).anySatisfy(output -> assertThat(output).contains("outcome: agreed 2, promoted false"));
            assertThat(outputs).anySatisfy(output -> assertThat(output).contains("outcome: agreed 3, promoted true"));
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        PromotionRequest stored = as("reader").requests(MODEL, true).requests().get(0);
        assertThat(stored.agreed()).containsExactlyInAnyOrder("alice", "carol", "dave");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
    }

    // Helpers

    /** The governance of {@code user}: requests and policy in the storage under test, versions in the fixture's registry. */
    Governance as(String user) {
        return governance(fixture.folder, workspace, user, audit::addAll, fixture.clock);
    }

    static Governance governance(Path registryFolder, Storage workspace, String user, AuditSink audit, Clock clock) {
        PolicyGuard guard = PolicyGuard.of(workspace.under("models"), workspace, audit);
        ModelRegistry registry = new ModelRegistry(registryFolder.resolve("models"), AuditSink.NONE, user, clock, guard,
                ActiveDeployments.NONE);
        return new Governance(registry, guard, clock);
    }

    private void policy(int productionApprovals) {
        workspace.write(Key.of("workspace.yaml"), POLICY.replace("approvals: 2\n", "approvals: " + productionApprovals
                + "\n").getBytes(StandardCharsets.UTF_8), Condition.none());
    }

    /** Runs {@code action} for each user on its own thread, all released at once; returns what each got or threw. */
    private static List<Object> atOnce(List<String> users, Action action) throws Exception {
        CyclicBarrier start = new CyclicBarrier(users.size());
        ExecutorService threads = Executors.newFixedThreadPool(users.size());
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (String user : users) {
                Callable<Object> task = () -> {
                    start.await();
                    try {
                        return action.run(user);
                    } catch (RuntimeException e) {
                        return e;
                    }
                };
                results.add(threads.submit(task));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> result : results) {
                outcomes.add(result.get(120, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Action {
        Object run(String user);
    }
}
