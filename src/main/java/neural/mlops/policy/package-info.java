/**
 * The governance policy of a workspace (SPEC 8): who may move a version into which stage, in what
 * order, with what reason, against which metric gates, and with how many approvals; read from
 * {@code workspace.yaml} with the line of every problem, enforced by the registry's
 * {@link neural.mlops.registry.PromotionGuard} so that the GUI and the CLI cannot differ, and the
 * promotion requests and approvals that carry out a promotion needing more than one person, kept
 * in the registry's {@link neural.mlops.store.storage.Storage} and changed by conditional writes.
 *
 * <p>{@link neural.mlops.policy.Governance} is the entry point. Depends on the registry, the artifact verdicts, the
 * audit sink and the store primitives; never on JavaFX, the CLI or the app.
 */
package neural.mlops.policy;
