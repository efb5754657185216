package neural.mlops.app.registry;

import neural.mlops.registry.ModelStage;

/**
 * What the Registry tab offers for moving the selected version to one stage, as the workspace
 * policy says it before the click: so a menu item or a stage-board column can be disabled and
 * say which rule stands in the way.
 *
 * @param stage the stage
 * @param kind  how the move can be made, if at all
 * @param hint  for people: the rule that blocks it, or what will happen ("needs 2 approvals: a
 *              request will be created"); empty when there is nothing to say
 */
public record MoveOption(ModelStage stage, Kind kind, String hint) {

    /** How a move can be made. */
    public enum Kind {
        /** No version is selected, or it is in this stage already. */
        NONE,
        /** The move is carried out at once, after the confirmation. */
        ALLOWED,
        /** The stage needs approvals: the confirmation creates a promotion request. */
        REQUEST,
        /** A request for this move is open already: it is approved under Requests. */
        REQUESTED,
        /** A rule of the policy stands in the way. */
        BLOCKED
    }

    /** True when the move can be started (carried out, or requested). */
    public boolean enabled() {
        return kind == Kind.ALLOWED || kind == Kind.REQUEST;
    }
}
