package neural.mlops.registry;

/**
 * Where a version came from (SPEC 2.1 {@code lineage}); every part is optional (null).
 * {@link #NONE} when nothing is known.
 */
public record Lineage(String sourceCommit, String runId, String dataset, String parentVersion) {

    public static final Lineage NONE = new Lineage(null, null, null, null);

    public Lineage {
        sourceCommit = blankToNull(sourceCommit);
        runId = blankToNull(runId);
        dataset = blankToNull(dataset);
        parentVersion = blankToNull(parentVersion);
    }

    public boolean isEmpty() {
        return sourceCommit == null && runId == null && dataset == null && parentVersion == null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
