package neural.mlops.deployment;

import java.nio.file.Path;

/**
 * A deployment document that could not be read. It is skipped by listings and left untouched, and
 * reported so that a user can repair or remove it (SPEC 2: a malformed document never stops the store).
 */
public record DocumentProblem(Path file, String message) {
}
