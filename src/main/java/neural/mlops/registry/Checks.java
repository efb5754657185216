package neural.mlops.registry;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;
import neural.mlops.store.SingleLine;

/** Rules for the free-text fields of a registration, checked before anything is written. */
final class Checks {

    static final int MAX_SHORT = 256;
    static final int MAX_DESCRIPTION = 16 * 1024;

    private Checks() {
    }

    /** A single line of printable text, at most {@code max} characters; blank is refused. */
    static String line(String kind, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("Missing " + kind + "; give a non-empty value");
        }
        return optionalLine(kind, value, max);
    }

    /** Like {@link #line} but null or blank gives null. */
    static String optionalLine(String kind, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw new InvalidInputException("The " + kind + " is " + value.length() + " characters long; at most "
                    + max + " are allowed");
        }
        String problem = SingleLine.problem(value);
        if (problem != null) {
            throw new InvalidInputException("Invalid " + kind + " " + Names.quote(value) + ": " + problem
                    + "; it must be one line of visible text");
        }
        return value;
    }

    /** Free text that may span lines (a description): no other control characters, bounded. */
    static String text(String kind, String value, int max) {
        if (value == null) {
            return "";
        }
        if (value.length() > max) {
            throw new InvalidInputException("The " + kind + " is " + value.length() + " characters long; at most "
                    + max + " are allowed");
        }
        if (value.codePoints().anyMatch(cp -> Character.isISOControl(cp) && cp != '\n' && cp != '\t' && cp != '\r')) {
            throw new InvalidInputException("The " + kind + " contains control characters; remove them");
        }
        return value;
    }

    static double metric(String metricName, double value) {
        line("metric name", metricName, Names.MAX_LENGTH);
        if (!Double.isFinite(value)) {
            throw new InvalidInputException("Metric " + Names.quote(metricName) + " must be a finite number, not "
                    + value);
        }
        return value;
    }

    static Map<String, Double> metrics(Map<String, ? extends Number> metrics) {
        Map<String, Double> checked = new LinkedHashMap<>();
        metrics.forEach((key, value) -> {
            if (value == null) {
                throw new InvalidInputException("Metric " + Names.quote(key) + " has no value; give a number");
            }
            checked.put(key, metric(key, value.doubleValue()));
        });
        return checked;
    }

    /** Tags in their order, each once (ignoring case), each checked by {@link Tags#check}. */
    static List<String> tags(Collection<String> tags) {
        return Tags.checkAll(tags);
    }
}
