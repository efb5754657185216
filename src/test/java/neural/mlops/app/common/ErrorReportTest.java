package neural.mlops.app.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.MlopsException;
import neural.mlops.store.StoreIOException;
import org.junit.jupiter.api.Test;

class ErrorReportTest {

    @Test
    void anExpectedErrorIsItsMessageAndNeedsNoLog() {
        ErrorReport report = ErrorReport.of(new ConflictException("Version v2.0.0 of fraud_detector already exists; choose a new version"));

        assertThat(report.expected()).isTrue();
        assertThat(report.message()).isEqualTo("Version v2.0.0 of fraud_detector already exists; choose a new version");
        assertThat(report.worthLogging()).isFalse();
    }

    @Test
    void anUnexpectedErrorWithNoMessageIsNamedByItsType() {
        ErrorReport report = ErrorReport.of(new NullPointerException());

        assertThat(report.expected()).isFalse();
        assertThat(report.message()).isEqualTo("Unexpected error: NullPointerException");
        assertThat(report.worthLogging()).isTrue();
        assertThat(report.stackTrace()).startsWith("java.lang.NullPointerException").contains("ErrorReportTest");
    }

    @Test
    void anUnexpectedErrorKeepsItsMessageAfterItsType() {
        assertThat(ErrorReport.describe(new IllegalStateException("index out of step")))
                .isEqualTo("Unexpected error: IllegalStateException: index out of step");
        assertThat(ErrorReport.describe(new UncheckedIOException(new IOException("disk full"))))
                .startsWith("Unexpected error: UncheckedIOException: ").contains("disk full");
    }

    @Test
    void blankMessagesNeverMakeABlankLine() {
        assertThat(ErrorReport.describe(new InvalidInputException("   "))).isEqualTo("InvalidInputException");
        assertThat(ErrorReport.describe(new RuntimeException(""))).isEqualTo("Unexpected error: RuntimeException");
        assertThat(ErrorReport.describe(new RuntimeException() { })).startsWith("Unexpected error: neural.mlops.app.common.ErrorReportTest$");
    }

    @Test
    void theExecutorsWrappersAreReportedAsTheirCause() {
        ErrorReport report = ErrorReport.of(new ExecutionException(new MlopsException("Workspace /x is locked by another process")));

        assertThat(report.expected()).isTrue();
        assertThat(report.message()).isEqualTo("Workspace /x is locked by another process");
    }

    @Test
    void anExpectedErrorWithACauseIsLoggedForItsCause() {
        ErrorReport report = ErrorReport.of(StoreIOException.of("write", java.nio.file.Path.of("models/a.json"), new IOException("disk full")));

        assertThat(report.expected()).isTrue();
        assertThat(report.worthLogging()).isTrue();
    }

    @Test
    void anInlineReportAlsoShowsTheDialogForAnUnexpectedErrorOnly() {
        ScriptedDialogs dialogs = new ScriptedDialogs();

        String expected = ErrorReport.inline(new InvalidInputException("Bad metric"), dialogs, "Cannot register");
        String unexpected = ErrorReport.inline(new NullPointerException(), dialogs, "Cannot register");

        assertThat(expected).isEqualTo("Bad metric");
        assertThat(unexpected).isEqualTo("Unexpected error: NullPointerException");
        assertThat(dialogs.errors).containsExactly("Cannot register: Unexpected error: NullPointerException");
    }
}
