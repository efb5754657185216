package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.store.InvalidInputException;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reaches the disk: no secrets, no control characters in single-line fields, nothing oversized. */
class SanitizerTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-15T12:00:00Z");

    AuditLogger audit(Optional<AuditKey> key) {
        return new AuditLogger(dir.resolve("audit_logs"), clock, key);
    }

    @Test
    void secretsAtAnyDepthNeverReachTheDisk() throws IOException {
        for (Optional<AuditKey> key : List.of(Optional.<AuditKey>empty(), Optional.of(AuditKey.of("a key of some length here")))) {
            AuditLogger audit = new AuditLogger(dir.resolve("trail-" + key.isPresent()), clock, key);
            Map<String, Object> details = Map.of(
                    "db_password", "s3cr3t-db-pw",
                    "connection", Map.of("Authorization", "Bearer eyJhbGciOi-token-value",
                            "nested", List.of(Map.of("apiKey", "AKIA-api-key-value"), Map.of("ok", "visible"))),
                    "level1", Map.of("level2", Map.of("level3", Map.of("private_key", "-----BEGIN KEY-----",
                            "client_secret", List.of("secret-in-list")))),
                    "Credentials", Map.of("user", "svc", "pass", "whole-subtree-is-redacted"),
                    "refresh-TOKEN", 918273645546372L);

            AuditEvent event = audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "db", "update", details));

            String everything = allFiles(audit.root());
            for (String secret : List.of("s3cr3t-db-pw", "eyJhbGciOi-token-value", "AKIA-api-key-value", "BEGIN KEY",
                    "secret-in-list", "whole-subtree-is-redacted", "918273645546372")) {
                assertThat(everything).doesNotContain(secret);
            }
            assertThat(everything).contains("visible").contains("redacted:hmac-sha256:");
            assertThat(event.details().get("db_password").toString()).matches("redacted:hmac-sha256:[0-9a-f]{16}");
            assertThat(audit.verifyIntegrity().intact()).isTrue();
        }
    }

    @Test
    void theSameSecretRedactsToTheSameValueSoReuseStaysVisible() {
        AuditLogger audit = audit(Optional.empty());
        AuditEvent first = audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "db", "update",
                Map.of("password", "hunter2")));
        AuditEvent second = audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "db", "update",
                Map.of("password", "hunter2")));
        AuditEvent other = audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "db", "update",
                Map.of("password", "hunter3")));
        assertThat(first.details()).isEqualTo(second.details());
        assertThat(other.details()).isNotEqualTo(first.details());
        assertThat(dir.resolve("audit_logs/redaction_salt.json")).exists();
    }

    @Test
    void controlCharactersAreRemovedFromSingleLineFieldsAndTheReasonKeepsItsLines() {
        AuditEvent event = audit(Optional.empty()).logEvent(new AuditRecord(EventType.ACCESS_DENIED, EventSeverity.WARNING,
                "alice\n2024-01-01 INFO forged line", "model", "fraud\u0000_detector:v1\u001b[31m", "promote\r\n",
                Outcome.DENIED, "first line\r\nsecond\u0007 line\u2028", Map.of(), "10.0.0.1\t"));
        assertThat(event.user()).isEqualTo("alice2024-01-01 INFO forged line");
        assertThat(event.resourceId()).isEqualTo("fraud_detector:v1[31m");
        assertThat(event.action()).isEqualTo("promote");
        assertThat(event.ipAddress()).isEqualTo("10.0.0.1");
        assertThat(event.reason()).isEqualTo("first line\nsecond line");
    }

    @Test
    void invisibleFormatCharactersInSingleLineFieldsAreRefusedAndNothingIsWritten() {
        AuditLogger audit = audit(Optional.empty());
        for (String forged : List.of("admin\u202egnp", "ad\u200bmin", "\u2066admin\u2069", "admin\ufeff")) {
            assertThatThrownBy(() -> audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, forged, "config", "db",
                    "update", Map.of()))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("invisible formatting character").hasMessageNotContaining(forged);
            assertThatThrownBy(() -> audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", forged,
                    "update", Map.of()))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("Invalid audit resource id");
        }
        assertThat(dir.resolve("audit_logs")).doesNotExist();
    }

    @Test
    void oversizeDetailsAreRefusedAndNothingIsWritten() {
        AuditLogger audit = audit(Optional.empty());
        Map<String, Object> big = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            big.put("field" + i, "x".repeat(2000));
        }
        assertThatThrownBy(() -> audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "db", "update", big)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 65536");
        assertThatThrownBy(() -> audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "db", "update",
                Map.of("note", "y".repeat(4097))))).isInstanceOf(InvalidInputException.class).hasMessageContaining("4096");
        assertThatThrownBy(() -> audit.logAccessDenied("bob", "model", "a:v1", "promote", "z".repeat(5000)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reason");
        assertThat(dir.resolve("audit_logs")).doesNotExist();
    }

    @Test
    void detailsDeeperThanThirtyTwoLevelsAreRefused() {
        AuditLogger audit = audit(Optional.empty());
        assertThat(audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "db", "update", nested(32)))
                .seq()).isEqualTo(1);
        assertThatThrownBy(() -> audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "db", "update",
                nested(33)))).isInstanceOf(InvalidInputException.class).hasMessageContaining("32 levels");
    }

    @Test
    void numbersAreKeptExactlyOrAsTextAndNonFiniteOnesAreRefused() {
        AuditLogger audit = audit(Optional.empty());
        AuditEvent event = audit.logEvent(AuditRecord.of(EventType.MODEL_REGISTERED, "alice", "model", "a:v1", "register",
                Map.of("accuracy", 0.95, "epochs", 12, "big", 9007199254740993L, "loss", new java.math.BigDecimal("0.250"))));
        assertThat(event.details().get("accuracy").toString()).isEqualTo("0.95");
        assertThat(event.details().get("epochs").toString()).isEqualTo("12");
        assertThat(event.details().get("big")).isEqualTo("9007199254740993");
        assertThat(new java.math.BigDecimal(event.details().get("loss").toString())).isEqualByComparingTo("0.25");
        assertThat(audit.verifyIntegrity().intact()).isTrue();
        assertThatThrownBy(() -> audit.logEvent(AuditRecord.of(EventType.MODEL_REGISTERED, "alice", "model", "a:v1",
                "register", Map.of("loss", Double.NaN)))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void secretLookingKeysAreRecognisedWhateverTheirSpelling() {
        for (String key : List.of("password", "db_password", "DB-PASSWORD", "apiKey", "api_key", "X-Api-Key", "Authorization",
                "credentials", "aws_secret_access_key", "private_key", "privateKey", "access_token")) {
            assertThat(Sanitizer.looksSecret(key)).as(key).isTrue();
        }
        for (String key : List.of("environment", "strategy", "ip_address", "user", "framework", "metrics")) {
            assertThat(Sanitizer.looksSecret(key)).as(key).isFalse();
        }
    }

    private static Map<String, Object> nested(int levels) {
        Map<String, Object> map = Map.of("leaf", 1);
        for (int i = 1; i < levels; i++) {
            map = Map.of("level", map);
        }
        return map;
    }

    private static String allFiles(Path root) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : new ArrayList<>(files.filter(Files::isRegularFile).toList())) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }
}
