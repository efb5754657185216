package neural.mlops.policy;

import static neural.mlops.policy.PolicyFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import neural.mlops.JvmProcess;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventType;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two approvers at once never lose an approval, and a request is never carried out twice. */
class ApprovalRaceTest {

    @TempDir
    Path dir;

    PolicyFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new PolicyFixture(dir);
    }

    private void requireApprovals(int count) {
        fixture.policy(ApprovalsTest.POLICY.replace("approvals: 2", "approvals: " + count));
        fixture.as("alice").governance().request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
    }

    /** Runs an approval by each user on its own thread, all released at once; returns what each got. */
    private List<Object> approveAtOnce(String... users) throws Exception {
        CyclicBarrier start = new CyclicBarrier(users.length);
        ExecutorService threads = Executors.newFixedThreadPool(users.length);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (String user : users) {
                Governance governance = fixture.as(user).governance();
                results.add(threads.submit(() -> {
                    start.await();
                    try {
                        return governance.approve(MODEL, "v2.0.0", ModelStage.PRODUCTION);
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> result : results) {
                outcomes.add(result.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    private List<AuditEvent> promotionsOfV2() {
        return fixture.events(EventType.MODEL_PROMOTED).stream()
                .filter(event -> event.resourceId().equals("fraud_detector:v2.0.0")
                        && "production".equals(event.details().get("to_stage")))
                .toList();
    }

    @Test
    void twoThreadsApprovingAtOnceBothCountAndTheSecondCarriesItOut() throws Exception {
        requireApprovals(3);

        List<Object> outcomes = approveAtOnce("carol", "dave");

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(ApprovalOutcome.class));
        assertThat(outcomes).filteredOn(outcome -> ((ApprovalOutcome) outcome).promoted()).hasSize(1);
        PromotionRequest request = fixture.as("reader").governance().requests(MODEL, true).requests().get(0);
        assertThat(request.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(request.agreed()).containsExactlyInAnyOrder("alice", "carol", "dave");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
        assertThat(promotionsOfV2()).hasSize(1);
        assertThat(fixture.events(EventType.MODEL_UPDATED)).filteredOn(e -> e.action().equals("approve_promotion")).hasSize(2);
    }

    @Test
    void twoThreadsGivingTheLastApprovalAtOncePromoteOnce() throws Exception {
        requireApprovals(2);

        List<Object> outcomes = approveAtOnce("carol", "dave");

        assertThat(outcomes).filteredOn(ApprovalOutcome.class::isInstance).singleElement()
                .satisfies(outcome -> assertThat(((ApprovalOutcome) outcome).promoted()).isTrue());
        assertThat(outcomes).filteredOn(NotFoundException.class::isInstance).hasSize(1);
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
        assertThat(promotionsOfV2()).hasSize(1);
    }

    @Test
    void twoProcessesApprovingAtOnceBothCount() throws Exception {
        requireApprovals(3);
        List<Process> processes = new ArrayList<>();
        for (String user : List.of("carol", "dave")) {
            Process process = JvmProcess.start(List.of(), ApproveChild.class.getName(), fixture.folder.toString(), user,
                    MODEL, "v2.0.0", "production");
            processes.add(process);
            JvmProcess.awaitLine(process, "ready");
        }
        for (Process process : processes) {
            OutputStream go = process.getOutputStream();
            go.write("go\n".getBytes(StandardCharsets.UTF_8));
            go.flush();
        }
        List<String> outputs = new ArrayList<>();
        for (Process process : processes) {
            outputs.add(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(outputs).anySatisfy(output -> assertThat(output).contains("outcome: agreed 2, promoted false"));
        assertThat(outputs).anySatisfy(output -> assertThat(output).contains("outcome: agreed 3, promoted true"));
        PromotionRequest request = fixture.as("reader").governance().requests(MODEL, true).requests().get(0);
        assertThat(request.agreed()).containsExactlyInAnyOrder("alice", "carol", "dave");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
        assertThat(promotionsOfV2()).hasSize(1);
    }
}
