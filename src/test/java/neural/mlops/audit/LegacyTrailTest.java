package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.storage.LocalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trail written by the original Python module (SPEC 10), read through the core. */
class LegacyTrailTest {

    @TempDir
    Path root;

    private AuditLogger trail(ZoneId zone) throws IOException {
        Files.createDirectories(root.resolve("events/2024/01/16"));
        Files.writeString(root.resolve("events/2024/01/16/event_20240116_093100_000002.json"), """
                {
                  "event_id": "event_20240116_093100_000002",
                  "event_type": "security_violation",
                  "timestamp": "2024-01-16T09:31:00",
                  "user": "mallory",
                  "severity": "critical",
                  "resource_type": "model",
                  "resource_id": "fraud_detector:v2.0.0",
                  "action": "download",
                  "details": {"metrics": {"auc": NaN}},
                  "ip_address": null,
                  "tags": ["security", "violation"]
                }
                """);
        Files.writeString(root.resolve("events/2024/01/16/event_20240116_110000_000003.json"), """
                {"event_id": "event_20240116_110000_000003", "event_type": "access_revoked",
                 "timestamp": "2024-01-16T11:00:00.300000", "user": "admin", "severity": "warning",
                 "resource_type": "model", "resource_id": "m:1", "action": "revoke", "details": {},
                 "ip_address": null, "tags": ["access"]}
                """);
        return new AuditLogger(new LocalStorage(root), Clock.systemUTC(), Optional.empty(),
                OutputGuard.outside(List.of(root)), zone);
    }

    @Test
    void naiveTimesAreReadInTheStatedZone() throws IOException {
        AuditLogger audit = trail(ZoneId.of("Europe/Berlin"));

        List<AuditEvent> events = audit.queryEvents(AuditFilter.all().withType(EventType.SECURITY_VIOLATION));

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.timestamp()).isEqualTo(Instant.parse("2024-01-16T08:31:00Z"));
            assertThat(event.tags()).containsExactly("security", "violation");
            assertThat(event.chained()).isFalse();
        });
        assertThat(OriginalShape.time(events.get(0).timestamp(), audit.legacyZone())).isEqualTo("2024-01-16T09:31:00");
    }

    @Test
    void theOriginalsTypesAndTagsAreFilteredOn() throws IOException {
        AuditLogger audit = trail(ZoneId.of("UTC"));

        assertThat(audit.queryEvents(AuditFilter.all().withTags(List.of("access", "nothing"))))
                .extracting(AuditEvent::eventType).containsExactly(EventType.ACCESS_REVOKED);
        assertThat(audit.queryEvents(AuditFilter.all().withTags(List.of("nothing")))).isEmpty();
        assertThat(audit.queryEvents(AuditFilter.all().withText("violation"))).hasSize(1);
        assertThat(audit.queryEvents(AuditFilter.all())).hasSize(2);
    }

    @Test
    void aTaggedRecordIsWrittenWithItsTagsAndStillVerifies() throws IOException {
        AuditLogger audit = new AuditLogger(root);
        AuditEvent event = audit.logEvent(new AuditRecord(EventType.SECURITY_VIOLATION, EventSeverity.CRITICAL, "alice",
                "model", "m:1", "download", Outcome.DENIED, null, null, null, List.of("security", "violation")));

        assertThat(event.tags()).containsExactly("security", "violation");
        assertThat(audit.queryEvents(AuditFilter.all().withTags(List.of("violation")))).hasSize(1);
        assertThat(audit.verifyIntegrity().intact()).isTrue();
    }

    @Test
    void theProductsOwnEventsHaveNoTagsKeySoTheirHashesAreAsBefore() {
        AuditEvent event = new AuditLogger(root).logModelDeployment("m", "1", "alice", "production");

        assertThat(event.toJson().has("tags")).isFalse();
    }
}
