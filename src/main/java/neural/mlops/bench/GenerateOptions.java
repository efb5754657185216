package neural.mlops.bench;

import java.time.Instant;
import neural.mlops.store.InvalidInputException;

/**
 * What {@link WorkspaceGenerator} builds: {@code models} models of {@code versions} versions each,
 * {@code events} audit events spread over the {@code days} days that end at {@code end}, all drawn
 * from a random generator seeded with {@code seed}, so that the same options give the same workspace.
 */
public record GenerateOptions(int models, int versions, long events, int days, long seed, Instant end) {

    public static final long DEFAULT_SEED = 20240115L;

    public GenerateOptions {
        if (models < 1 || models > 100_000) {
            throw new InvalidInputException("--models must be between 1 and 100000, not " + models);
        }
        if (versions < 1 || versions > 1_000) {
            throw new InvalidInputException("--versions must be between 1 and 1000, not " + versions);
        }
        if (events < 0 || events > 100_000_000L) {
            throw new InvalidInputException("--events must be between 0 and 100000000, not " + events);
        }
        if (days < 1 || days > 3_660) {
            throw new InvalidInputException("--days must be between 1 and 3660, not " + days);
        }
        if (end == null) {
            throw new InvalidInputException("The generated period needs an end");
        }
    }

    /** The options with the period ending now and the default seed. */
    public static GenerateOptions of(int models, int versions, long events, int days) {
        return new GenerateOptions(models, versions, events, days, DEFAULT_SEED, Instant.now());
    }
}
