package neural.mlops.registry;

import java.util.Locale;

/**
 * Search criteria for model versions; every criterion is optional (null) and all given ones must
 * match. {@code name} and {@code text} match parts, case-insensitively ({@code text} looks in the
 * name, version, description, tags, framework, creator and metric names); {@code framework} matches
 * the whole value, case-insensitively, and {@code tag} as {@link Tags#matches} says: {@code team=fraud}
 * that tag exactly, {@code team} the tag {@code team} and every {@code team=...}.
 *
 * <pre>{@code registry.search(ModelQuery.all().withStage(ModelStage.PRODUCTION).withTag("fraud"))}</pre>
 */
public record ModelQuery(String name, ModelStage stage, String tag, String framework, String text) {

    public ModelQuery {
        name = blankToNull(name);
        tag = blankToNull(tag);
        framework = blankToNull(framework);
        text = blankToNull(text);
    }

    public static ModelQuery all() {
        return new ModelQuery(null, null, null, null, null);
    }

    public ModelQuery withName(String value) {
        return new ModelQuery(value, stage, tag, framework, text);
    }

    public ModelQuery withStage(ModelStage value) {
        return new ModelQuery(name, value, tag, framework, text);
    }

    public ModelQuery withTag(String value) {
        return new ModelQuery(name, stage, value, framework, text);
    }

    public ModelQuery withFramework(String value) {
        return new ModelQuery(name, stage, tag, value, text);
    }

    public ModelQuery withText(String value) {
        return new ModelQuery(name, stage, tag, framework, value);
    }

    public boolean matches(ModelVersion version) {
        if (name != null && !contains(version.name(), name)) {
            return false;
        }
        if (stage != null && version.stage() != stage) {
            return false;
        }
        if (tag != null && version.tags().stream().noneMatch(t -> Tags.matches(t, tag))) {
            return false;
        }
        if (framework != null && !version.framework().equalsIgnoreCase(framework)) {
            return false;
        }
        return text == null || matchesText(version);
    }

    private boolean matchesText(ModelVersion version) {
        return contains(version.name(), text) || contains(version.version(), text)
                || contains(version.description(), text) || contains(version.framework(), text)
                || contains(version.createdBy(), text)
                || version.tags().stream().anyMatch(t -> contains(t, text))
                || version.metrics().keySet().stream().anyMatch(m -> contains(m, text));
    }

    /**
     * Whether {@code haystack} lowered contains {@code needle} lowered (in {@link Locale#ROOT}). A filter
     * of 100,000 versions asks this of some ten fields each; lowering both strings every time made
     * two copies per field. An ASCII field lowers character by character exactly as the whole string
     * does, so it is compared in place; any other field takes the general path.
     */
    static boolean contains(String haystack, String needle) {
        String lowered = needle.toLowerCase(Locale.ROOT);
        int length = lowered.length();
        if (!isAscii(haystack)) {
            return haystack.toLowerCase(Locale.ROOT).contains(lowered);
        }
        for (int start = 0; start + length <= haystack.length(); start++) {
            int i = 0;
            while (i < length && asciiLower(haystack.charAt(start + i)) == lowered.charAt(i)) {
                i++;
            }
            if (i == length) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
