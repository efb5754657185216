package neural.mlops.audit;

import neural.mlops.store.MlopsException;

/** An export was cancelled by its {@link ExportListener}; no file was left and nothing was audited. */
public class ExportCancelledException extends MlopsException {

    public ExportCancelledException(String message) {
        super(message);
    }
}
