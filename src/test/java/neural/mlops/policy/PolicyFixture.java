package neural.mlops.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventType;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.testing.TestClock;
import neural.mlops.workspace.Workspace;

/**
 * A real workspace for policy tests, built while it has no policy: fraud_detector v1.0.0 in
 * production (accuracy 0.9, loss 0.3), v2.0.0 in staging (0.95, 0.2), v3.0.0 in staging
 * (0.85, 0.35) and v4.0.0 in development (0.97, 0.1, no latency). Tests then write a policy and
 * act as different users.
 */
final class PolicyFixture {

    static final String MODEL = "fraud_detector";

    final Path folder;
    /** Moves one second each time it is read, so events and requests have distinct times. */
    final TestClock clock = TestClock.stepping(Instant.parse("2024-03-01T09:00:00Z"), Duration.ofSeconds(1));

    PolicyFixture(Path dir) {
        try {
            folder = Files.createDirectories(dir.resolve("ws"));
            Path model = Files.writeString(dir.resolve("model.pt"), "weights");
            Workspace setup = as("setup");
            register(setup, model, "v1.0.0", 0.90, 0.30);
            register(setup, model, "v2.0.0", 0.95, 0.20);
            register(setup, model, "v3.0.0", 0.85, 0.35);
            register(setup, model, "v4.0.0", 0.97, 0.10);
            setup.registry().promoteModel(MODEL, "v1.0.0", ModelStage.PRODUCTION, "first release");
            setup.registry().promoteModel(MODEL, "v2.0.0", ModelStage.STAGING, "candidate");
            setup.registry().promoteModel(MODEL, "v3.0.0", ModelStage.STAGING, "candidate");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void register(Workspace workspace, Path model, String version, double accuracy, double loss) {
        workspace.registry().registerModel(RegisterRequest.builder(MODEL, version, model).framework("pytorch")
                .metric("accuracy", accuracy).metric("loss", loss).build());
    }

    /** The workspace opened for {@code user}. */
    Workspace as(String user) {
        return Workspace.open(folder, user, clock, Optional.empty());
    }

    /** Writes workspace.yaml. */
    void policy(String yaml) {
        try {
            Files.writeString(folder.resolve("workspace.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ModelStage stageOf(String version) {
        return as("reader").registry().getModel(MODEL, version).stage();
    }

    /** The events of {@code type}, oldest first. */
    List<AuditEvent> events(EventType type) {
        return oldestFirst(as("reader").audit().queryEvents(AuditFilter.all().withType(type)));
    }

    /** Every event, oldest first. */
    List<AuditEvent> events() {
        return oldestFirst(as("reader").audit().queryEvents(AuditFilter.all()));
    }

    private static List<AuditEvent> oldestFirst(List<AuditEvent> newestFirst) {
        List<AuditEvent> events = new ArrayList<>(newestFirst);
        Collections.reverse(events);
        return events;
    }
}
