package neural.mlops.audit;

import neural.mlops.store.MlopsException;

/** An export was cancelled by its {@link ExportListener}; no file was left and nothing was audited. */
public class ExportCancelledException extends MlopsException {

    private static final long serialVersionUID = 1L;

    public ExportCancelledException(String message) {
        super(message);
    }
}
