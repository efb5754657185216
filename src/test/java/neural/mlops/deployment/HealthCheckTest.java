package neural.mlops.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import neural.mlops.audit.AuditSink;
import neural.mlops.store.Json;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Health probes against a real HTTP server on 127.0.0.1; the timeouts guard against a hang, they time nothing. */
@Timeout(60)
class HealthCheckTest {

    static final Instant START = Instant.parse("2024-01-15T12:00:00Z");

    @TempDir
    Path root;

    TestEndpoint endpoint;
    TestClock clock;
    DeploymentManager manager;

    @BeforeEach
    void setUp() {
        endpoint = new TestEndpoint();
        clock = new TestClock(START);
        manager = new DeploymentManager(root, ModelCatalog.NONE, AuditSink.NONE, "alice", clock);
    }

    @AfterEach
    void tearDown() {
        endpoint.close();
    }

    @Test
    void aTwoHundredAnswerIsHealthyAndIsRecordedInTheDocument() {
        String id = create(endpoint.url("/ok"));
        clock.advance(Duration.ofMinutes(1));

        HealthCheck check = manager.checkHealth(id);

        assertThat(check.ok()).isTrue();
        assertThat(check.statusCode()).isEqualTo(200);
        assertThat(check.latencyMs()).isNotNull().isNotNegative();
        assertThat(check.error()).isNull();
        assertThat(check.checkedAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(manager.getDeployment(id).health()).isEqualTo(check);
        ObjectNode health = (ObjectNode) Json.readObject(root.resolve(id + ".json")).get("health");
        assertThat(health.fieldNames()).toIterable().containsExactly("checked_at", "ok", "status_code", "latency_ms", "error");
        assertThat(health.get("checked_at").asText()).isEqualTo("2024-01-15T12:01:00.000000Z");
    }

    @Test
    void aServerErrorIsUnhealthyWithItsStatusCode() {
        String id = create(endpoint.url("/fail"));

        HealthCheck check = manager.checkHealth(id);

        assertThat(check.ok()).isFalse();
        assertThat(check.statusCode()).isEqualTo(500);
        assertThat(check.summary()).startsWith("HTTP 500 in ");
        assertThat(manager.getDeployment(id).health().ok()).isFalse();
    }

    @Test
    void aSlowEndpointTimesOutWithAnErrorInsteadOfHanging() {
        String id = create(endpoint.url("/slow"));

        HealthCheck check = manager.withHealthTimeout(Duration.ofMillis(300)).checkHealth(id);

        assertThat(check.ok()).isFalse();
        assertThat(check.statusCode()).isNull();
        assertThat(check.latencyMs()).isNull();
        assertThat(check.error()).isEqualTo("no answer from " + endpoint.url("/slow") + " within 300 ms");
        assertThat(manager.getDeployment(id).health().error()).isEqualTo(check.error());
    }

    @Test
    void aClosedPortIsUnhealthyWithAConnectionError() {
        String url = TestEndpoint.closedPortUrl();
        String id = create(url);

        HealthCheck check = manager.checkHealth(id);

        assertThat(check.ok()).isFalse();
        assertThat(check.statusCode()).isNull();
        assertThat(check.error()).startsWith("could not connect to 127.0.0.1:");
    }

    @Test
    void theConfiguredHealthPathIsProbedInsteadOfTheEndpoint() {
        String id = manager.createDeployment("fraud_detector", "v1.0.0", "production", endpoint.url("/fail/predict"),
                Map.of(Deployment.HEALTH_PATH, "/ok")).id();

        assertThat(manager.checkHealth(id).ok()).isTrue();
    }

    @Test
    void probingKeepsTheStatusHistoryAndUnknownFields() {
        String id = create(endpoint.url("/ok"));
        Path file = root.resolve(id + ".json");
        ObjectNode document = Json.readObject(file);
        document.put("owner_team", "risk");
        Json.writeAtomically(file, document);

        manager.checkHealth(id);

        ObjectNode reread = Json.readObject(file);
        assertThat(reread.get("owner_team").asText()).isEqualTo("risk");
        assertThat(reread.get("status").asText()).isEqualTo("pending");
        assertThat(reread.get("history")).hasSize(1);
    }

    // ---------------------------------------------------------------- hostile endpoints (issue 25, 7)

    @Test
    void aServerThatAcceptsButNeverAnswersIsUnhealthyWithinTheTimeout() {
        String url = endpoint.raw("");

        HealthCheck check = probeBounded(url);

        assertThat(check.ok()).isFalse();
        assertThat(check.statusCode()).isNull();
        assertThat(check.error()).isEqualTo("no answer from " + url + " within 500 ms");
    }

    @Test
    void headersThatStopHalfWayAreNoAnswer() {
        String url = endpoint.raw("HTTP/1.1 200 OK\r\nContent-");

        HealthCheck check = probeBounded(url);

        assertThat(check.ok()).isFalse();
        assertThat(check.statusCode()).isNull();
        assertThat(check.error()).isEqualTo("no answer from " + url + " within 500 ms");
    }

    @Test
    void aBodyThatStopsAfterTheHeadersIsUnhealthyAndTheStatusIsNamed() {
        String url = endpoint.url("/stalled-body");

        HealthCheck check = probeBounded(url);

        assertThat(check.ok()).isFalse();
        assertThat(check.statusCode()).isNull();
        assertThat(check.error()).isEqualTo("HTTP 200 from " + url + " but the body did not arrive within 500 ms");
    }

    @Test
    void anEndlessBodyIsReadOnlyUpToTheCapSoItsAnswerCounts() {
        HealthCheck check = probeAnswering(endpoint.url("/endless"));

        assertThat(check.ok()).isTrue();
        assertThat(check.statusCode()).isEqualTo(200);
        assertThat(check.error()).isNull();
    }

    @Test
    void aRedirectToAnotherHostIsReportedWithWhereItPointsAndNotFollowed() {
        String url = endpoint.raw("HTTP/1.1 302 Found\r\nLocation: http://elsewhere.invalid/health\r\n"
                + "Content-Length: 0\r\n\r\n");

        HealthCheck check = probeAnswering(url);

        assertThat(check.ok()).isFalse();
        assertThat(check.statusCode()).isEqualTo(302);
        assertThat(check.error()).isEqualTo("redirected to http://elsewhere.invalid/health (not followed)");
        assertThat(check.summary()).startsWith("HTTP 302 in ").endsWith(" ms: redirected to http://elsewhere.invalid/health (not followed)");
    }

    @Test
    void aRedirectToAHealthyPageOnTheSameServerIsNotFollowedEither() {
        String url = endpoint.raw("HTTP/1.1 301 Moved Permanently\r\nLocation: " + endpoint.url("/ok")
                + "\r\nContent-Length: 0\r\n\r\n");

        HealthCheck check = probeAnswering(url);

        assertThat(check.ok()).isFalse();
        assertThat(check.statusCode()).isEqualTo(301);
        assertThat(check.error()).contains(endpoint.url("/ok"));
    }

    @Test
    void aRedirectIsRecordedInTheDocumentAndReadBack() {
        String id = create(endpoint.raw("HTTP/1.1 307 Temporary Redirect\r\nLocation: /v2\r\nContent-Length: 0\r\n\r\n"));

        HealthCheck check = manager.checkHealth(id);

        assertThat(manager.getDeployment(id).health()).isEqualTo(check);
        assertThat(check.error()).isEqualTo("redirected to /v2 (not followed)");
    }

    /** Probes a server that will never finish with a 500 ms timeout; 15 s is only a guard against a hang, it times nothing. */
    private HealthCheck probeBounded(String url) {
        return probe(url, manager.withHealthTimeout(Duration.ofMillis(500)));
    }

    /** Probes a server that does answer, with the default timeout, so that a busy machine cannot make it miss. */
    private HealthCheck probeAnswering(String url) {
        return probe(url, manager);
    }

    private HealthCheck probe(String url, DeploymentManager prober) {
        String id = create(url);
        return assertTimeoutPreemptively(Duration.ofSeconds(15), () -> prober.checkHealth(id));
    }

    private String create(String url) {
        return manager.createDeployment("fraud_detector", "v1.0.0", "production", url).id();
    }
}
