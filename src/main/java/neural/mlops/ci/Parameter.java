package neural.mlops.ci;

import java.util.Optional;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/**
 * One pipeline parameter: its key (as given to {@code --set KEY=VALUE}), what it is for, its
 * default and the type whose rule its values must meet. The CLI's {@code ci list} and the GUI's
 * form are built from these definitions.
 */
public record Parameter(String name, String description, String defaultValue, ParameterType type) {

    /**
     * The rule {@code raw} breaks, or empty when it is a valid value. Leading and trailing spaces
     * are ignored; control characters, invisible formatting characters, line breaks and
     * <code>${{</code> are refused in every parameter, because each would let a value escape its place
     * in some platform's syntax.
     */
    public Optional<String> problem(String raw) {
        if (raw == null) {
            return Optional.of("it has no value");
        }
        String unsafe = unsafeCharacter(raw);
        if (unsafe != null) {
            return Optional.of(unsafe);
        }
        if (raw.contains("${{")) {
            return Optional.of("'${{' would be evaluated by the CI platform before the pipeline runs");
        }
        return Optional.ofNullable(type.problemOf(type.normalize(trimSpaces(raw))));
    }

    /**
     * Returns the canonical form of {@code raw}, or throws {@link InvalidInputException} naming
     * this parameter and the rule the value breaks.
     */
    public String validate(String raw) {
        Optional<String> problem = problem(raw);
        if (problem.isPresent()) {
            throw new InvalidInputException("Invalid value " + Names.quote(raw) + " for parameter " + name
                    + ": " + problem.get());
        }
        return type.normalize(trimSpaces(raw));
    }

    private static String trimSpaces(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == ' ') {
            end--;
        }
        return value.substring(start, end);
    }

    /**
     * Control characters (line breaks and tabs among them), Unicode line separators, format
     * characters (zero-width and bidirectional marks that hide what a line really says),
     * unpaired surrogates and unassigned code points are refused.
     */
    private static String unsafeCharacter(String value) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int kind = Character.getType(cp);
            if (Character.isISOControl(cp)) {
                return cp == '\n' || cp == '\r' ? "it must be a single line" : "it contains a control character";
            }
            if (kind == Character.LINE_SEPARATOR || kind == Character.PARAGRAPH_SEPARATOR) {
                return "it must be a single line";
            }
            if (kind == Character.FORMAT || kind == Character.SURROGATE || kind == Character.UNASSIGNED) {
                return String.format("it contains the invisible or invalid character U+%04X", cp);
            }
            i += Character.charCount(cp);
        }
        return null;
    }
}
