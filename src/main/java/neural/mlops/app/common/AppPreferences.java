package neural.mlops.app.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.UserConfig;
import neural.mlops.store.storage.S3Location;
import neural.mlops.workspace.WorkspaceLocation;

/**
 * What the application remembers between runs (SPEC 5): theme, user identity and signing key, last and recent
 * workspaces, window geometry. Kept as {@code preferences.json} in the user's configuration
 * folder and written atomically; a damaged file is replaced by defaults rather than stopping the
 * application.
 */
public final class AppPreferences {

    private static final int MAX_RECENT = 8;

    private final Path file;
    private ObjectNode document;

    public AppPreferences(Path file) {
        this.file = file;
        this.document = load(file);
    }

    public static AppPreferences forCurrentUser() {
        return new AppPreferences(UserConfig.folder().resolve("preferences.json"));
    }

    public Theme theme() {
        return "dark".equals(document.path("theme").asText()) ? Theme.DARK : Theme.LIGHT;
    }

    public void setTheme(Theme theme) {
        document.put("theme", theme == Theme.DARK ? "dark" : "light");
        save();
    }

    /** The acting user for audit events; the OS user unless set in Preferences. */
    public String user() {
        String user = document.path("user").asText("");
        return user.isBlank() ? UserConfig.osUser() : user;
    }

    /**
     * The audit chain head last verified intact in the workspace at {@code location}, so the next
     * opening verifies only what came after it (SPEC 5: cheap on a million events).
     */
    public Optional<neural.mlops.audit.ChainHead> verifiedHead(String location) {
        JsonNode head = document.path("verified_heads").path(location);
        if (!head.isObject() || !head.path("seq").canConvertToLong() || !head.path("at").isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new neural.mlops.audit.ChainHead(head.path("seq").asLong(),
                    head.path("hash").isTextual() ? head.path("hash").asText() : null,
                    java.time.Instant.parse(head.path("at").asText())));
        } catch (java.time.format.DateTimeParseException damaged) {
            return Optional.empty(); // a damaged entry only costs a full verification
        }
    }

    public void setVerifiedHead(String location, neural.mlops.audit.ChainHead head) {
        ObjectNode heads = document.path("verified_heads").isObject() ? (ObjectNode) document.get("verified_heads")
                : document.putObject("verified_heads");
        ObjectNode entry = heads.putObject(location);
        entry.put("seq", head.seq());
        entry.put("hash", head.hash());
        entry.put("at", head.timestamp() == null ? null : head.timestamp().toString());
        save();
    }

    /** The user chosen in Preferences, if one was: empty means the OS user. */
    public Optional<String> chosenUser() {
        String user = document.path("user").asText("");
        return user.isBlank() ? Optional.empty() : Optional.of(user);
    }

    public void setUser(String user) {
        document.put("user", user == null ? "" : user.strip());
        save();
    }

    /**
     * The SSH key file chosen in Preferences to sign governed actions (issue 24), if one was:
     * empty means {@code NEURAL_MLOPS_SIGNING_KEY}, else unsigned ({@link ActingSigner}).
     */
    public Optional<Path> signingKey() {
        String key = document.path("signing_key").asText("");
        try {
            return key.isBlank() ? Optional.empty() : Optional.of(Path.of(key));
        } catch (InvalidPathException edited) {
            return Optional.empty(); // edited by hand into something no path can be: as if none were chosen
        }
    }

    /** Chooses {@code key} (empty: clears the choice). */
    public void setSigningKey(Optional<Path> key) {
        if (key.isPresent()) {
            document.put("signing_key", key.get().toAbsolutePath().toString());
        } else {
            document.remove("signing_key");
        }
        save();
    }

    public Optional<WorkspaceLocation> lastWorkspace() {
        return location(document.path("last_workspace"));
    }

    /**
     * Remembers {@code workspace} as the last one and at the top of the recent list: a folder as its
     * path, a bucket as its location with the endpoint and profile chosen for it (never credentials).
     */
    public void rememberWorkspace(WorkspaceLocation workspace) {
        document.set("last_workspace", node(workspace));
        List<WorkspaceLocation> recent = new ArrayList<>();
        recent.add(workspace);
        for (WorkspaceLocation old : recentWorkspaces()) {
            if (!old.toString().equals(workspace.toString()) && recent.size() < MAX_RECENT) {
                recent.add(old);
            }
        }
        ArrayNode array = document.putArray("recent_workspaces");
        recent.forEach(location -> array.add(node(location)));
        save();
    }

    /** File > Recent Workspaces > Clear List: forgets the list (the last workspace still reopens at start). */
    public void clearRecentWorkspaces() {
        document.putArray("recent_workspaces");
        save();
    }

    /** The recent workspaces, newest first; an entry that no longer parses is left out. */
    public List<WorkspaceLocation> recentWorkspaces() {
        List<WorkspaceLocation> recent = new ArrayList<>();
        document.path("recent_workspaces").forEach(node -> location(node).ifPresent(recent::add));
        return recent;
    }

    private static JsonNode node(WorkspaceLocation location) {
        if (location instanceof WorkspaceLocation.Bucket bucket) {
            ObjectNode node = Json.mapper().createObjectNode();
            node.put("location", bucket.toString());
            bucket.endpoint().ifPresent(endpoint -> node.put("endpoint", endpoint));
            bucket.profile().ifPresent(profile -> node.put("profile", profile));
            return node;
        }
        return Json.mapper().getNodeFactory().textNode(location.toString());
    }

    private static Optional<WorkspaceLocation> location(JsonNode node) {
        try {
            if (node.isTextual() && !node.asText().isBlank()) {
                return Optional.of(WorkspaceLocation.parse(node.asText()));
            }
            if (node.isObject() && S3Location.isS3(node.path("location").asText(""))) {
                return Optional.of(new WorkspaceLocation.Bucket(S3Location.parse(node.path("location").asText()),
                        Optional.ofNullable(node.path("endpoint").textValue()),
                        Optional.ofNullable(node.path("profile").textValue())));
            }
        } catch (InvalidInputException stale) {
            // Written by another version, or edited by hand: not offered, and dropped at the next save.
        }
        return Optional.empty();
    }

    /** The tab shown when the window was last closed (0: Registry). */
    public int selectedTab() {
        return Math.max(0, document.path("selected_tab").asInt(0));
    }

    public void setSelectedTab(int index) {
        document.put("selected_tab", index);
        save();
    }

    /** The model last selected in the Registry tab of the workspace at {@code location}. */
    public Optional<String> selectedModel(String location) {
        JsonNode name = document.path("selected_models").path(location);
        return name.isTextual() && !name.asText().isBlank() ? Optional.of(name.asText()) : Optional.empty();
    }

    public void setSelectedModel(String location, String name) {
        ObjectNode models = document.path("selected_models").isObject() ? (ObjectNode) document.get("selected_models")
                : document.putObject("selected_models");
        if (name == null) {
            models.remove(location);
        } else if (name.equals(models.path(location).asText(null))) {
            return; // unchanged: no write
        } else {
            models.put(location, name);
        }
        save();
    }

    /** Window geometry as {x, y, width, height}, if remembered. */
    public Optional<double[]> windowBounds() {
        ObjectNode window = document.has("window") && document.get("window").isObject()
                ? (ObjectNode) document.get("window") : null;
        if (window == null || !window.has("width")) {
            return Optional.empty();
        }
        return Optional.of(new double[] {
            window.path("x").asDouble(), window.path("y").asDouble(),
            window.path("width").asDouble(), window.path("height").asDouble()});
    }

    public boolean windowMaximized() {
        return document.path("window").path("maximized").asBoolean(false);
    }

    public void setWindow(double x, double y, double width, double height, boolean maximized) {
        ObjectNode window = document.putObject("window");
        window.put("x", x);
        window.put("y", y);
        window.put("width", width);
        window.put("height", height);
        window.put("maximized", maximized);
        save();
    }

    private void save() {
        try {
            Json.writeAtomically(file, document);
        } catch (MlopsException e) {
            // Preferences are a convenience: failing to save them must not interrupt the user's work.
        }
    }

    private static ObjectNode load(Path file) {
        if (Files.isRegularFile(file)) {
            try {
                return Json.readObject(file);
            } catch (MlopsException e) {
                // Fall through to defaults; the damaged file is overwritten on the next save.
            }
        }
        return Json.mapper().createObjectNode();
    }
}
