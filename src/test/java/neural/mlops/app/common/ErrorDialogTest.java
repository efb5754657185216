package neural.mlops.app.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.store.ConflictException;
import neural.mlops.store.UserConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The error dialog under Monocle: an exception with no message shows its type and an expandable
 * stack trace and lands in the log, whether a screen reports it, nothing caught it on the FX
 * thread, or a background task had nobody to take it.
 */
@ExtendWith(ApplicationExtension.class)
class ErrorDialogTest {

    /** An exception with no message, whose name only this test writes to the log. */
    static final class NamelessFault extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    FxDialogService dialogs;
    Stage owner;

    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new StackPane(), 300, 200));
        stage.show();
        owner = stage;
        dialogs = new FxDialogService(stage);
    }

    @Test
    void theDialogsOfTheDialogServiceWearTheMainWindowsTheme(FxRobot robot) throws Exception {
        ThemeChecks.opensInTheOwnersTheme(robot, owner, () -> ThemeChecks.windowOf(
                dialogs.errorAlert("Cannot register", new ConflictException("Version v2.0.0 already exists"))));
    }

    @Test
    void theRemoteWorkspaceDialogWearsTheMainWindowsTheme(FxRobot robot) throws Exception {
        ThemeChecks.opensInTheOwnersTheme(robot, owner, () -> ThemeChecks.windowOf(
                RemoteWorkspaceDialog.create(owner, java.util.Optional.empty())));
    }

    @Test
    void anUnexpectedErrorWithNoMessageShowsItsTypeAndAnExpandableTraceAndIsLogged() throws Exception {
        String title = "Cannot load " + UUID.randomUUID();
        long logBefore = logSize();

        Alert alert = WaitForAsyncUtils.asyncFx(() -> dialogs.errorAlert(title, new NullPointerException())).get();

        assertThat(message(alert.getDialogPane())).startsWith("Unexpected error: NullPointerException")
                .contains(UserConfig.logFile().toString());
        TextArea trace = (TextArea) alert.getDialogPane().getExpandableContent().lookup("#error-trace");
        assertThat(trace.getText()).startsWith("java.lang.NullPointerException").contains("at " + getClass().getName());
        assertThat(logSince(logBefore)).contains(title).contains("java.lang.NullPointerException")
                .contains("at " + getClass().getName());
    }

    @Test
    void anExpectedErrorShowsItsMessageWithNoTrace() throws Exception {
        Alert alert = WaitForAsyncUtils.asyncFx(() -> dialogs.errorAlert("Cannot register",
                new ConflictException("Version v2.0.0 of fraud_detector already exists; choose a new version"))).get();

        assertThat(message(alert.getDialogPane())).isEqualTo("Version v2.0.0 of fraud_detector already exists; choose a new version");
        assertThat(alert.getDialogPane().getExpandableContent()).isNull();
    }

    @Test
    void anExceptionNothingCaughtOnTheFxThreadShowsTheErrorDialogAndIsLogged(FxRobot robot) throws Exception {
        Thread fx = WaitForAsyncUtils.asyncFx(Thread::currentThread).get();
        Thread.UncaughtExceptionHandler previousDefault = Thread.getDefaultUncaughtExceptionHandler();
        long logBefore = logSize();
        try {
            WaitForAsyncUtils.asyncFx(() -> new UncaughtErrors(dialogs).install()).get();

            Platform.runLater(() -> {
                throw new NamelessFault();
            });
            WaitForAsyncUtils.waitForFxEvents();

            DialogPane pane = errorDialog(robot);
            assertThat(pane.getHeaderText()).isEqualTo(UncaughtErrors.TITLE);
            assertThat(message(pane)).startsWith("Unexpected error: NamelessFault");
            assertThat(((TextArea) pane.getExpandableContent().lookup("#error-trace")).getText())
                    .startsWith(NamelessFault.class.getName());
            assertThat(logSince(logBefore)).contains(NamelessFault.class.getName());
            robot.interact(() -> ((Button) pane.lookupButton(ButtonType.OK)).fire());
        } finally {
            robot.interact(() -> fx.setUncaughtExceptionHandler(null));
            Thread.setDefaultUncaughtExceptionHandler(previousDefault);
        }
    }

    @Test
    void aBackgroundTaskNeverFailsSilently() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        FxTaskExecutor executor = new FxTaskExecutor((thread, error) -> reported.add(error));
        try {
            Platform.runLater(() -> {
                BackgroundTask.wrap("no failure callback", () -> {
                    throw new NullPointerException();
                }).executeWith(executor);
                BackgroundTask.wrap("a broken success callback", () -> "read")
                        .onSuccess(value -> {
                            throw new NamelessFault();
                        }).executeWith(executor);
                BackgroundTask.wrap("an error in the work", () -> {
                    throw new AssertionError();
                }).onFailure(error -> reported.add(new IllegalStateException("an Error is not an Exception"))).executeWith(executor);
            });
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> reported.size() >= 3);
            WaitForAsyncUtils.waitForFxEvents();

            assertThat(reported).hasSize(3).extracting(error -> error.getClass().getSimpleName())
                    .containsExactlyInAnyOrder("NullPointerException", "NamelessFault", "AssertionError");
            assertThat(WaitForAsyncUtils.asyncFx(() -> executor.runningProperty().get()).get()).isZero();
        } finally {
            executor.shutdown();
        }
    }

    private static DialogPane errorDialog(FxRobot robot) {
        return robot.listWindows().stream()
                .map(Window::getScene)
                .filter(scene -> scene != null && scene.getRoot() != null)
                .map(scene -> scene.getRoot().lookup(".dialog-pane"))
                .filter(DialogPane.class::isInstance)
                .map(DialogPane.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("No error dialog is showing"));
    }

    private static String message(DialogPane pane) {
        return ((Label) pane.getContent().lookup("#dialog-message")).getText();
    }

    private static long logSize() throws IOException {
        Path log = UserConfig.logFile();
        return Files.exists(log) ? Files.size(log) : 0;
    }

    private static String logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(UserConfig.logFile());
        return new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
    }
}
