package neural.mlops.app.common;

import java.util.Objects;
import neural.mlops.store.UserConfig;

/**
 * Who the application acts as (recorded with every action in the audit trail) and where that name
 * came from, so the user can always see why the trail will say what it says: {@code --user} on
 * the command line wins for the session, then the name chosen in Preferences, then the OS user.
 */
public record ActingUser(String name, Source source) {

    /** Where an acting user's name came from, as the status bar and Preferences say it. */
    public enum Source {
        OS("OS user"),
        PREFERENCE("chosen in Preferences"),
        COMMAND_LINE("--user on the command line");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public ActingUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    /** The acting user for a session started with {@code commandLineUser} (null: no --user). */
    public static ActingUser resolve(String commandLineUser, AppPreferences preferences) {
        if (commandLineUser != null && !commandLineUser.isBlank()) {
            return new ActingUser(commandLineUser.strip(), Source.COMMAND_LINE);
        }
        return preferences.chosenUser().map(chosen -> new ActingUser(chosen, Source.PREFERENCE))
                .orElseGet(() -> new ActingUser(UserConfig.osUser(), Source.OS));
    }

    /** "alice (OS user)" */
    public String describe() {
        return name + " (" + source.label() + ")";
    }
}
