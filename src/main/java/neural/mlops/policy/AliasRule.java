package neural.mlops.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of one alias ({@code policy.aliases.<alias>} in workspace.yaml): who may set, move or
 * remove it, and how many people must agree, as a stage's {@code allowed} and {@code approvals}.
 *
 * @param alias     the alias these rules guard
 * @param allowed   the roles or user names who may change it; empty when anyone may
 * @param approvals how many distinct permitted users must agree, the requester included
 * @param requireSigned whether every change of the alias, and every request, approval and
 *                      rejection of one, must carry a valid SSH signature of the acting user (issue 24)
 */
public record AliasRule(String alias, Optional<List<String>> allowed, int approvals, boolean requireSigned) {

    public AliasRule {
        Objects.requireNonNull(alias, "alias");
        allowed = allowed.map(List::copyOf);
        if (approvals < 1) {
            throw new IllegalArgumentException("approvals must be at least 1");
        }
    }

    /** The rules without a signature requirement. */
    public AliasRule(String alias, Optional<List<String>> allowed, int approvals) {
        this(alias, allowed, approvals, false);
    }

    /**
     * A rule an alias change (or a deployment change) breaks: where it is in workspace.yaml, what is
     * wrong, what would satisfy it, and whether the change would skip the approval of others or
     * carries no valid signature (recorded as a security violation).
     */
    public record Broken(String path, String problem, String remedy, boolean bypass) {

        /** "policy.aliases.champion.allowed: bob is not allowed ...; ask ...". */
        public String message() {
            return path + ": " + problem + "; " + remedy;
        }
    }

    /** An alias without rules: anyone may change it. */
    public static AliasRule open(String alias) {
        return new AliasRule(alias, Optional.empty(), 1);
    }

    /** What a signature over a change of {@code alias} names as its target: {@code @champion}, never a stage's name. */
    public static String target(String alias) {
        return "@" + alias;
    }

    public boolean needsApprovals() {
        return approvals > 1;
    }

    /** Where a rule of this alias is in workspace.yaml: {@code policy.aliases.champion.allowed}. */
    public String path(String key) {
        return "policy.aliases." + alias + "." + key;
    }

    /** The rules as short phrases: "allowed: approver", "2 approvals". */
    public List<String> describe() {
        List<String> parts = new ArrayList<>();
        allowed.ifPresent(who -> parts.add(who.isEmpty() ? "nobody may change it" : "allowed: " + String.join(", ", who)));
        if (needsApprovals()) {
            parts.add(approvals + " approvals (the requester counts as one)");
        }
        if (requireSigned) {
            parts.add("signed changes only");
        }
        if (parts.isEmpty()) {
            parts.add("open to everyone");
        }
        return parts;
    }
}
