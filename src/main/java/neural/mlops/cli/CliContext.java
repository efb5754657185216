package neural.mlops.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import neural.mlops.identity.SigningKey;
import neural.mlops.identity.Signer;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.SingleLine;
import neural.mlops.store.Users;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceLocation;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a subcommand needs from the global options and the streams: the workspace, the acting
 * user, whether to print JSON, and stdout for results and stderr for messages (SPEC 4).
 */
public final class CliContext {

    /**
     * How stdout's JSON is written: indented, with the terminal escapes. Made at the first JSON
     * printed: building Jackson's mapper loads some 500 classes, a tenth of a second that a text
     * listing does not need.
     */
    static ObjectWriter jsonWriter() {
        return JsonWriter.INSTANCE;
    }

    private static final class JsonWriter {
        // As UTF-8 bytes (on the process's stdout), a character beyond the BMP is written as itself, as the writer gives it.
        static final ObjectWriter INSTANCE = Json.mapper().writer(JsonIndentation.printer()).with(TerminalEscapes.INSTANCE)
                .with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
    }

    private final RootCommand root;
    private final PrintWriter out;
    private final PrintWriter err;
    private Workspace stores;

    private CliContext(RootCommand root, PrintWriter out, PrintWriter err) {
        this.root = root;
        this.out = out;
        this.err = err;
    }

    /** The context of the command that {@code spec} describes. */
    public static CliContext of(CommandSpec spec) {
        RootCommand root = (RootCommand) spec.root().userObject();
        return new CliContext(root, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    public WorkspaceLocation workspace() {
        return root.workspaceOrCurrent();
    }

    public String user() {
        return Users.require(root.userOrOsUser());
    }

    /**
     * The workspace's stores, opened for the acting user with the audit trail attached, so that
     * every command that changes something is audited exactly as in the GUI.
     */
    public Workspace stores() {
        if (stores == null) {
            stores = Workspace.open(workspace(), user(), signer());
        }
        return stores;
    }

    /** Who signs the acting user's governed actions: the key of --sign-with or NEURAL_MLOPS_SIGNING_KEY, else no one. */
    public Signer signer() {
        return SigningKey.signerOf(root.signingKey());
    }

    /**
     * The registry for a command that only reads it (list, show, compare): such a command records
     * nothing and is not governed, so it opens neither the audit trail nor the policy, which keeps
     * a new process's listing near the time of reading the documents.
     */
    public ModelRegistry registryForReading() {
        return stores != null ? stores.registry() : Workspace.readRegistry(workspace());
    }

    public boolean json() {
        return root.json;
    }

    public PrintWriter out() {
        return out;
    }

    /** A message for a person: stderr, so stdout stays clean for pipes and {@code --json}; one line ({@link Terminal}). */
    public void message(String text) {
        err.println(Terminal.text(text));
        err.flush();
    }

    /**
     * Prints a value as indented JSON on stdout. Jackson escapes C0 controls itself; DEL, C1
     * controls, line separators and invisible format characters are escaped too ({@link
     * TerminalEscapes}), so that the output is the same JSON value and still safe on a terminal.
     */
    public void printJson(Object value) {
        try {
            out.println(jsonWriter().writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new MlopsException("Could not print JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Prints one JSON value on stdout as {@link #printJson} would, written token by token by
     * {@code writer} (a document too large to build as a tree first).
     */
    public void printJsonWith(JsonArrayPrinter.ElementWriter writer) {
        try (JsonGenerator generator = out instanceof Stdout stdout
                ? jsonWriter().createGenerator(stdout.bytes(), JsonEncoding.UTF8) : jsonWriter().createGenerator(out)) {
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writer.write(generator);
        } catch (IOException e) {
            throw new MlopsException("Could not print JSON: " + e.getMessage(), e);
        }
        out.println();
        out.flush();
    }

    /**
     * A JSON array printed on stdout element by element as the caller reads them, the same bytes
     * as {@link #printJson} of the whole array: a listing of any size needs memory for one element.
     */
    public JsonArrayPrinter printJsonArray() {
        return new JsonArrayPrinter(out);
    }

    /** Jackson's escapes plus {@code \\uXXXX} for every character {@link SingleLine#escape} escapes. */
    static final class TerminalEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        static final TerminalEscapes INSTANCE = new TerminalEscapes();

        private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

        private TerminalEscapes() {
            ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // Called per UTF-16 unit: surrogates are left alone, since both halves of a pair come here one by one.
            return SingleLine.isRefused(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
