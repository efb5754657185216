package neural.mlops.bench;

import java.nio.file.Path;
import java.util.Optional;
import neural.mlops.store.InvalidInputException;

/**
 * How {@link BenchRunner} measures: {@code runs} timed runs of each operation after {@code warmups}
 * untimed ones (medians are reported), and the appends made by {@code appendThreads} threads of
 * {@code appendsPerThread} events each, in one process and then in each of two processes. A
 * {@code baseline} workspace, when given, has its 30-day query and one-year report timed in the
 * same run, in turn with the workspace's, so that a larger trail's times are judged against a
 * smaller one's.
 */
public record BenchOptions(int runs, int warmups, int appendThreads, int appendsPerThread, Optional<Path> baseline) {

    public BenchOptions {
        if (runs < 1 || runs > 100) {
            throw new InvalidInputException("--runs must be between 1 and 100, not " + runs);
        }
        if (warmups < 0 || warmups > 20) {
            throw new InvalidInputException("--warmups must be between 0 and 20, not " + warmups);
        }
        if (appendThreads < 1 || appendThreads > 256) {
            throw new InvalidInputException("--threads must be between 1 and 256, not " + appendThreads);
        }
        if (appendsPerThread < 1 || appendsPerThread > 100_000) {
            throw new InvalidInputException("--appends must be between 1 and 100000, not " + appendsPerThread);
        }
    }

    public static BenchOptions defaults() {
        return new BenchOptions(5, 1, 16, 50, Optional.empty());
    }
}
