package neural.mlops.store;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Stack traces go here, never in front of a user (STYLE 7): the CLI and the GUI show one clear
 * line and point to this file.
 */
public final class ErrorLog {

    private ErrorLog() {
    }

    /** Appends the error with its stack trace; returns the log file, or null when it cannot be written. */
    public static synchronized Path append(String context, Throwable error) {
        Path file = UserConfig.logFile();
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        String entry = UtcTime.format(Instant.now()) + " " + context + "\n" + trace + "\n";
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, entry, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return file;
        } catch (IOException e) {
            return null;
        }
    }
}
