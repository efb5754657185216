package neural.mlops.workspace;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;
import java.util.OptionalInt;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;

/**
 * What {@code workspace.yaml} states besides the policy, read once when the workspace opens: the
 * zone the original module's naive times are read in ({@code legacy_timezone}, SPEC 10) and how
 * many whole days the audit trail keeps online ({@code retention.keep_days}). The policy reader
 * checks both with their lines first; this only reads them.
 *
 * @param legacyZone       the zone naive times are read in
 * @param legacyZoneStated true when workspace.yaml states it, false for the system zone
 * @param keepDays         {@code retention.keep_days}, empty when not set
 */
public record WorkspaceSettings(ZoneId legacyZone, boolean legacyZoneStated, OptionalInt keepDays) {

    private static final long MAX_SETTINGS_BYTES = 1024 * 1024;

    /** The settings of a workspace without workspace.yaml: the system zone, no retention. */
    public static WorkspaceSettings defaults() {
        return new WorkspaceSettings(ZoneId.systemDefault(), false, OptionalInt.empty());
    }

    /** Reads {@code workspace.yaml} at the root of {@code storage}; {@code source} names it in messages. */
    static WorkspaceSettings read(Storage storage, String source) {
        return storage.read(Key.of(Workspace.SETTINGS), MAX_SETTINGS_BYTES)
                .map(document -> of(SafeYaml.loadMap(new String(document.content(), StandardCharsets.UTF_8), source),
                        source))
                .orElseGet(WorkspaceSettings::defaults);
    }

    static WorkspaceSettings of(Map<String, Object> yaml, String source) {
        Object zone = yaml.get(LegacyTimezone.KEY);
        return new WorkspaceSettings(LegacyTimezone.of(zone, source), zone != null, keepDays(yaml.get("retention"), source));
    }

    private static OptionalInt keepDays(Object retention, String source) {
        if (!(retention instanceof Map<?, ?> map) || map.get("keep_days") == null) {
            return OptionalInt.empty();
        }
        if (map.get("keep_days") instanceof Integer days && days > 0) {
            return OptionalInt.of(days);
        }
        throw new InvalidInputException(source + ": retention.keep_days must be a whole number of days such as 365");
    }

    /** The status bar's line: "Legacy times read in Europe/Berlin (from workspace.yaml)" or "... (system zone)". */
    public String legacyTimesText() {
        return "Legacy times read in " + legacyZone.getId() + (legacyZoneStated ? " (from workspace.yaml)" : " (system zone)");
    }
}
