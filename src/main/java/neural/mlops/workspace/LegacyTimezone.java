package neural.mlops.workspace;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.function.Supplier;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;

/**
 * The zone a workspace reads the original Python module's naive local times in (SPEC 10):
 * {@code legacy_timezone} in {@code workspace.yaml}, else the system zone. The policy reader checks
 * the value with its line when the workspace opens; this reads it for the stores.
 */
public final class LegacyTimezone {

    /** The key in workspace.yaml. */
    public static final String KEY = "legacy_timezone";

    private static final long MAX_SETTINGS_BYTES = 1024 * 1024;

    private LegacyTimezone() {
    }

    /** The zone {@code workspace.yaml} at the root of {@code storage} states, else the system zone. */
    public static ZoneId read(Storage storage, String source) {
        return storage.read(Key.of(Workspace.SETTINGS), MAX_SETTINGS_BYTES)
                .map(document -> of(SafeYaml.loadMap(new String(document.content(), StandardCharsets.UTF_8), source)
                        .get(KEY), source))
                .orElseGet(ZoneId::systemDefault);
    }

    /** {@link #read}, done at the first call and kept: a reader that meets no naive time never reads workspace.yaml. */
    public static Supplier<ZoneId> lazy(Storage storage, String source) {
        return new Supplier<>() {
            private ZoneId zone;

            @Override
            public synchronized ZoneId get() {
                if (zone == null) {
                    zone = read(storage, source);
                }
                return zone;
            }
        };
    }

    /** The zone of a {@code legacy_timezone} value (null: the system zone). */
    static ZoneId of(Object value, String source) {
        if (value == null) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(String.valueOf(value).strip());
        } catch (DateTimeException e) {
            throw new InvalidInputException(source + ": " + KEY + " " + Names.quote(String.valueOf(value))
                    + " is not a time zone; use one such as Europe/Berlin or UTC", e);
        }
    }
}
