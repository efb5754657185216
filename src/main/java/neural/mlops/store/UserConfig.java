package neural.mlops.store;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The user's configuration folder, outside every workspace: preferences, logs and the audit
 * signing key live here. {@code -Dneural.mlops.home} or {@code NEURAL_MLOPS_HOME} override it
 * (tests keep it inside {@code target/}).
 */
public final class UserConfig {

    private UserConfig() {
    }

    public static Path folder() {
        String property = System.getProperty("neural.mlops.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("NEURAL_MLOPS_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String home = System.getProperty("user.home");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win") && System.getenv("APPDATA") != null) {
            return Path.of(System.getenv("APPDATA"), "NeuralMLOps");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "NeuralMLOps");
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "neural-mlops") : Path.of(home, ".config", "neural-mlops");
    }

    public static Path logFile() {
        return folder().resolve("logs").resolve("neural-mlops.log");
    }

    /** The OS user, the default acting user of the CLI and the GUI. */
    public static String osUser() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }
}
