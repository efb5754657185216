package neural.mlops.policy;

import java.util.Locale;

/**
 * A metric gate: how the candidate's value of a metric must compare with the current production
 * version's, knowing which metrics are lower-is-better
 * ({@link neural.mlops.registry.MetricDirection}).
 */
public enum MetricGate {
    /** At least as good: equal passes. */
    NO_WORSE,
    /** Strictly better: equal fails. */
    BETTER;

    /** The value in workspace.yaml: {@code no_worse}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when {@code candidate} passes this gate against {@code production}. */
    public boolean passes(double candidate, double production, boolean lowerIsBetter) {
        int comparison = lowerIsBetter ? Double.compare(production, candidate) : Double.compare(candidate, production);
        return this == NO_WORSE ? comparison >= 0 : comparison > 0;
    }

    /** The gate written as {@code text}, or null when it is none. */
    static MetricGate parse(String text) {
        for (MetricGate gate : values()) {
            if (gate.value().equals(text)) {
                return gate;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return value();
    }
}
