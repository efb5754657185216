package neural.mlops.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import neural.mlops.store.Enums;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/**
 * The {@code links} of workspace.yaml: a URL template per lineage field
 * ({@code commit: https://github.com/org/repo/commit/{commit}}), and the one rule that says what
 * a template may be and how a value goes into it. The policy reader checks the templates with
 * their lines when a workspace opens; {@link #of} reads them for the GUI and {@code registry show}.
 *
 * <p>A value is percent-encoded as one URL component (every character but RFC 3986's unreserved
 * ones), and the placeholder must stand after the host: a lineage value, which anyone who
 * registers a version writes, can then never choose the server, the path above it or the query.
 */
public final class LinkTemplates {

    /** The key of workspace.yaml. */
    public static final String KEY = "links";
    /** Longer templates are refused: an address is a line, not a document. */
    public static final int MAX_LENGTH = 2048;
    /** No templates: every lineage field is shown as text. */
    public static final LinkTemplates NONE = new LinkTemplates(Map.of());

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final String EXAMPLE = "https://github.com/org/repo/commit/{commit}";

    private final Map<LinkField, String> templates;

    private LinkTemplates(Map<LinkField, String> templates) {
        EnumMap<LinkField, String> copy = new EnumMap<>(LinkField.class);
        copy.putAll(templates);
        this.templates = Collections.unmodifiableMap(copy);
    }

    /** The known keys of {@code links}, for the policy reader's "unknown key" message. */
    public static List<String> keys() {
        return Enums.values(LinkField.class);
    }

    /**
     * Why {@code template} cannot be the template of {@code field}, or empty when it can; the
     * message names the key ({@code links.commit}).
     */
    public static Optional<String> problem(LinkField field, String template) {
        String key = KEY + "." + field.value();
        String placeholder = field.placeholder();
        String shown = Names.quote(template);
        if (template.isBlank()) {
            return Optional.of(key + " is empty; give a URL template such as " + example(field) + ", or remove the key");
        }
        if (template.length() > MAX_LENGTH) {
            return Optional.of(key + " is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return Optional.of(key + " " + shown + " holds " + (c == ' ' ? "a space" : c < ' ' || c == 0x7f
                        ? "a control character" : "the character " + Names.quote(String.valueOf(c)))
                        + "; write the address in ASCII, percent-encoding the rest (%20 for a space)");
            }
        }
        int at = template.indexOf(placeholder);
        if (at < 0) {
            return Optional.of(key + " " + shown + " has no " + placeholder + " placeholder, so every version would "
                    + "link to the same address; put " + placeholder + " where the " + field.value() + " goes, as in "
                    + example(field));
        }
        String rest = template.replace(placeholder, "");
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
            return Optional.of(key + " " + shown + " holds a placeholder other than " + placeholder
                    + " (or a stray brace); " + placeholder + " is the only one it may hold");
        }
        Matcher scheme = SCHEME.matcher(template);
        if (!scheme.find() || scheme.end() > at) {
            return Optional.of(key + " " + shown + " must be an absolute address that starts with its scheme "
                    + "(https://...), with " + placeholder + " after the host");
        }
        int authorityEnd = authorityEnd(template, scheme.end());
        if (authorityEnd > at) {
            return Optional.of(key + " " + shown + " puts " + placeholder + " in the host part; put it in the path or "
                    + "the query, so that a lineage value can never choose the server");
        }
        URI sample;
        try {
            sample = new URI(template.replace(placeholder, "x"));
        } catch (URISyntaxException e) {
            return Optional.of(key + " " + shown + " is not a valid address once " + placeholder + " is filled in ("
                    + e.getReason() + " at character " + (e.getIndex() + 1) + ")");
        }
        String schemeName = scheme.group(1).toLowerCase(Locale.ROOT);
        boolean web = schemeName.equals("http") || schemeName.equals("https");
        if (web && (sample.getHost() == null || sample.getHost().isEmpty())) {
            return Optional.of(key + " " + shown + " has no host; write it as " + schemeName + "://host/..." + placeholder);
        }
        return Optional.empty();
    }

    /**
     * The templates of a parsed {@code links} mapping ({@code null}: none). The first problem is
     * thrown as an {@link InvalidInputException} that starts with {@code source} and names the key.
     */
    public static LinkTemplates of(Object links, String source) {
        if (links == null) {
            return NONE;
        }
        if (!(links instanceof Map<?, ?> map)) {
            throw new InvalidInputException(source + ": " + KEY + " must be a mapping of " + String.join(", ", keys())
                    + " to URL templates (commit: " + EXAMPLE + ")");
        }
        Map<LinkField, String> templates = new EnumMap<>(LinkField.class);
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = String.valueOf(entry.getKey());
            Optional<LinkField> field = Enums.exact(LinkField.class, name);
            if (field.isEmpty()) {
                throw new InvalidInputException(source + ": unknown key " + Names.quote(name) + " under " + KEY
                        + "; expected one of " + String.join(", ", keys()));
            }
            if (entry.getValue() == null) {
                continue; // an empty key: no link for that field
            }
            if (!(entry.getValue() instanceof String template)) {
                throw new InvalidInputException(source + ": " + KEY + "." + name + " must be a URL template such as "
                        + example(field.get()));
            }
            Optional<String> problem = problem(field.get(), template);
            if (problem.isPresent()) {
                throw new InvalidInputException(source + ": " + problem.get());
            }
            templates.put(field.get(), template);
        }
        return templates.isEmpty() ? NONE : new LinkTemplates(templates);
    }

    /** Templates that {@link #problem} accepts, for tests and callers that built them themselves. */
    public static LinkTemplates of(Map<LinkField, String> templates) {
        templates.forEach((field, template) -> problem(field, template).ifPresent(problem -> {
            throw new InvalidInputException(problem);
        }));
        return templates.isEmpty() ? NONE : new LinkTemplates(templates);
    }

    /** A template's example in messages: the GitHub form for a commit, a CI form for the others. */
    public static String example(LinkField field) {
        return switch (field) {
            case COMMIT -> EXAMPLE;
            case RUN -> "https://ci.example.com/runs/{run}";
            case DATASET -> "https://data.example.com/datasets/{dataset}";
        };
    }

    public boolean isEmpty() {
        return templates.isEmpty();
    }

    public Optional<String> template(LinkField field) {
        return Optional.ofNullable(templates.get(field));
    }

    /** The link of {@code value} as {@code field}, when there is a template for it and a value. */
    public Optional<LineageLink> link(LinkField field, String value) {
        String template = templates.get(field);
        if (template == null || value == null || value.isBlank()) {
            return Optional.empty();
        }
        String address = template.replace(field.placeholder(), encode(value));
        String scheme = address.substring(0, address.indexOf(':')).toLowerCase(Locale.ROOT);
        return Optional.of(new LineageLink(field, value, address, scheme.equals("http") || scheme.equals("https")));
    }

    /** The links of a version's lineage, in field order (commit, run, dataset); fields without a template are left out. */
    public List<LineageLink> links(Lineage lineage) {
        List<LineageLink> links = new ArrayList<>();
        for (LinkField field : LinkField.values()) {
            link(field, field.of(lineage)).ifPresent(links::add);
        }
        return links;
    }

    /**
     * {@code value} as one URL component: RFC 3986's unreserved characters (letters, digits,
     * {@code - . _ ~}) stay, every other UTF-8 byte is written {@code %XX}, so {@code /}, {@code ?},
     * {@code #}, {@code @} and spaces in a value cannot change the address's structure.
     */
    public static String encode(String value) {
        StringBuilder encoded = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }

    /** Where the authority ({@code //host:port}) after the scheme ends; {@code start} when there is none. */
    private static int authorityEnd(String template, int start) {
        if (!template.startsWith("//", start)) {
            return start;
        }
        for (int i = start + 2; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return i;
            }
        }
        return template.length();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LinkTemplates that && templates.equals(that.templates);
    }

    @Override
    public int hashCode() {
        return templates.hashCode();
    }

    @Override
    public String toString() {
        return "LinkTemplates" + templates;
    }
}
