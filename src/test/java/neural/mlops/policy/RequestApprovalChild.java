package neural.mlops.policy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import neural.mlops.audit.AuditSink;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.TestStorages;

/**
 * The other process of {@link RequestStoreContract}'s approval race: opens the same registry
 * folder and workspace storage as a user, prints "ready", waits for a line on stdin, approves
 * fraud_detector v2.0.0 to production and prints what came of it.
 *
 * <p>Arguments: registry workspace folder, user, then the workspace storage ({@link TestStorages#arguments}).
 */
public final class RequestApprovalChild {

    static final String READY = "ready";

    private RequestApprovalChild() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        try (Storage workspace = TestStorages.open(arguments.subList(2, arguments.size()))) {
            Governance governance = RequestStoreContract.governance(Path.of(args[0]), workspace, args[1], AuditSink.NONE,
                    Clock.systemUTC());
            governance.requests(null, true); // the first request loads the SDK: not part of the race
            System.out.println(READY);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            try {
                ApprovalOutcome outcome = governance.approve(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION);
                System.out.println("outcome: agreed " + outcome.request().agreed().size() + ", promoted "
                        + outcome.promoted());
            } catch (RuntimeException e) {
                System.out.println("outcome: refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            System.out.flush();
        }
    }
}
