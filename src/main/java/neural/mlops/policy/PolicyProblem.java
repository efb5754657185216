package neural.mlops.policy;

import java.nio.file.Path;

/**
 * One problem in the policy of a workspace.yaml: the file, the line (1-based), the key as a dotted
 * path ({@code policy.stages.production.approvals}) and what is wrong.
 */
public record PolicyProblem(Path file, int line, String key, String message) {

    /** "workspace.yaml line 7: unknown key 'aproval' under policy.stages.production; did you mean 'approvals'?". */
    public String text() {
        return file + " line " + line + ": " + message;
    }
}
