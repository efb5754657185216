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

    private static boolean contains(String haystack, String needle) {
        return haystack.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
