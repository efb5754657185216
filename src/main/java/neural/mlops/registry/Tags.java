package neural.mlops.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/**
 * The rules of tags, in one place: a tag is a plain word ({@code fraud}) or a key and a value
 * ({@code team=fraud}, as W&amp;B and MLflow users tag), one line of visible text of at most
 * {@value Names#MAX_LENGTH} characters; a key=value tag has exactly one {@code =} with a non-empty
 * key and value on either side (spaces around them are dropped). Tags compare ignoring case.
 *
 * <p>A filter ({@code registry list --tag}, the desktop's tag filter, {@code --remove-tag}) that
 * holds {@code =} matches that tag exactly; a plain filter matches the plain tag and every
 * key=value tag with that key ({@code team} matches {@code team} and {@code team=fraud}).
 */
public final class Tags {

    private Tags() {
    }

    /** The tag as stored (stripped, a key=value tag without spaces around {@code =}), or a clear refusal. */
    static String check(String tag) {
        String line = Checks.line("tag", tag, Names.MAX_LENGTH).strip();
        int equals = line.indexOf('=');
        if (equals < 0) {
            return line;
        }
        if (line.indexOf('=', equals + 1) >= 0) {
            throw new InvalidInputException("Invalid tag " + Names.quote(line) + ": a key=value tag has exactly one '='");
        }
        String key = line.substring(0, equals).strip();
        String value = line.substring(equals + 1).strip();
        if (key.isEmpty() || value.isEmpty()) {
            throw new InvalidInputException("Invalid tag " + Names.quote(line) + ": a key=value tag needs a key before "
                    + "'=' and a value after it (team=fraud)");
        }
        return key + "=" + value;
    }

    /** Checked tags in their order, each once (ignoring case). */
    static List<String> checkAll(Collection<String> tags) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        List<String> result = new ArrayList<>();
        for (String tag : tags) {
            String checked = check(tag);
            if (seen.add(checked.toLowerCase(Locale.ROOT))) {
                result.add(checked);
            }
        }
        return result;
    }

    /** The key of a key=value tag; empty for a plain tag. */
    public static Optional<String> key(String tag) {
        int equals = tag.indexOf('=');
        return equals < 0 ? Optional.empty() : Optional.of(tag.substring(0, equals).strip());
    }

    /** Whether the stored {@code tag} matches {@code filter} (see the class comment). */
    public static boolean matches(String tag, String filter) {
        String wanted = filter.strip();
        if (wanted.indexOf('=') >= 0) {
            int equals = wanted.indexOf('=');
            wanted = wanted.substring(0, equals).strip() + "=" + wanted.substring(equals + 1).strip();
            return tag.equalsIgnoreCase(wanted);
        }
        return tag.equalsIgnoreCase(wanted) || key(tag).filter(wanted::equalsIgnoreCase).isPresent();
    }

    /**
     * {@code current} with the tags matching a filter of {@code remove} taken out, then {@code add}
     * put in: a key=value tag replaces the tags with its key, a tag already there is kept once.
     */
    static List<String> edit(List<String> current, List<String> add, List<String> remove) {
        List<String> tags = new ArrayList<>(current);
        tags.removeIf(tag -> remove.stream().anyMatch(filter -> matches(tag, filter)));
        for (String tag : add) {
            Optional<String> key = key(tag);
            if (key.isPresent()) {
                tags.removeIf(other -> !other.equalsIgnoreCase(tag)
                        && key(other).filter(key.get()::equalsIgnoreCase).isPresent());
            }
            if (tags.stream().noneMatch(tag::equalsIgnoreCase)) {
                tags.add(tag);
            }
        }
        return tags;
    }
}
