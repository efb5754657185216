package neural.mlops.policy;

import java.util.Locale;
import neural.mlops.store.Valued;

/**
 * A metric gate: how the candidate's value of a metric must compare with the current production
 * version's, knowing which metrics are lower-is-better
 * ({@link neural.mlops.registry.MetricDirection}).
 */
public enum MetricGate implements Valued {
    /** At least as good: equal passes. */
    NO_WORSE,
    /** Strictly better: equal fails. */
    BETTER;

    /** The value in workspace.yaml: {@code no_worse}. */
    @Override
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when {@code candidate} passes this gate against {@code production}. */
    public boolean passes(double candidate, double production, boolean lowerIsBetter) {
        int comparison = lowerIsBetter ? Double.compare(production, candidate) : Double.compare(candidate, production);
        return this == NO_WORSE ? comparison >= 0 : comparison > 0;
    }


    @Override
    public String toString() {
        return value();
    }
}
