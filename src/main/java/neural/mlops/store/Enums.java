package neural.mlops.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the closed sets ({@link Valued} enums) back from their text, with one message form for
 * an unknown value: {@code Unknown stage 'limbo'; expected one of development, staging, ...}.
 */
public final class Enums {

    /** Each enum's constants, copied once: {@code values()} copies its array on every call, and a listing parses a million. */
    private static final ClassValue<Object[]> CONSTANTS = new ClassValue<>() {
        @Override
        protected Object[] computeValue(Class<?> type) {
            return type.getEnumConstants();
        }
    };

    private Enums() {
    }

    /**
     * The constant written as {@code text}, as stored or as a person typed it (any case, surrounding
     * spaces ignored); otherwise an {@link InvalidInputException} naming {@code what} and the values.
     */
    public static <E extends Enum<E> & Valued> E parse(Class<E> type, String text, String what) {
        E[] constants = constants(type);
        for (E constant : constants) {
            if (constant.value().equals(text)) {
                return constant; // as stored: no need to strip or fold case
            }
        }
        if (text != null) {
            String wanted = text.strip();
            for (E constant : constants) {
                if (constant.value().equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
        }
        throw new InvalidInputException("Unknown " + what + " " + Names.quote(text) + "; expected one of "
                + String.join(", ", values(type)));
    }

    /**
     * The constant written exactly as {@code text}, for a file read strictly (workspace.yaml), where
     * {@code Production} and {@code production} must not both pass as one key; empty otherwise.
     */
    public static <E extends Enum<E> & Valued> Optional<E> exact(Class<E> type, String text) {
        for (E constant : constants(type)) {
            if (constant.value().equals(text)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** The values of {@code type}'s constants in their order, for messages and suggestions. */
    public static <E extends Enum<E> & Valued> List<String> values(Class<E> type) {
        return Arrays.stream(constants(type)).map(Valued::value).toList();
    }

    @SuppressWarnings("unchecked")
    private static <E extends Enum<E> & Valued> E[] constants(Class<E> type) {
        return (E[]) CONSTANTS.get(type);
    }
}
