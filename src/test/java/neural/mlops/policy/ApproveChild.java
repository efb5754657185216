package neural.mlops.policy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import neural.mlops.registry.ModelStage;
import neural.mlops.workspace.Workspace;

/**
 * A second process for the approval race: opens the workspace as a user, prints "ready", waits for
 * a line on stdin, then approves and prints what came of it.
 * Arguments: workspace folder, user, model name, version, stage.
 */
public final class ApproveChild {

    private ApproveChild() {
    }

    public static void main(String[] args) throws Exception {
        Workspace workspace = Workspace.open(Path.of(args[0]), args[1], Clock.systemUTC(), Optional.empty());
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        try {
            ApprovalOutcome outcome = workspace.governance().approve(args[2], args[3], ModelStage.parse(args[4]));
            System.out.println("outcome: agreed " + outcome.request().agreed().size() + ", promoted " + outcome.promoted());
        } catch (RuntimeException e) {
            System.out.println("outcome: refused " + e.getClass().getSimpleName());
        }
        System.out.flush();
    }
}
