package neural.mlops.artifact;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.StoreIOException;

/**
 * Tells what a model file is and what loading it would import, without executing any of it: the
 * one entry point of this package. The format is recognised by its magic bytes (and, for formats
 * without one, by the file's extension); a file that cannot be read within the readers' bounds
 * gives the verdict "unreadable" with the reason, never an exception.
 */
public final class Inspector {
    /** The first bytes of a {@code torch.save} file written before PyTorch 1.6: a pickled magic number. */
    private static final byte[] LEGACY_TORCH = HexFormat.of().parseHex("80028a0a6cfc9c46f9206aa85019");
    private static final int LEGACY_PICKLES = 5;

    public Inspector() {
    }

    /**
     * Inspects the regular file {@code file}.
     *
     * @throws NotFoundException when there is no such regular file
     * @throws StoreIOException when the file cannot be opened
     */
    public Inspection inspect(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("No model file at " + file + "; give the path of a regular file");
        }
        try {
            long size = Files.size(file);
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(512); // a tar header is recognised at byte 257
            }
            return read(file, size, head);
        } catch (IOException e) {
            throw new StoreIOException("Cannot read the model file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Inspects a stream (a model held by a remote store): it is copied to a temporary file, since
     * zip archives are read from their central directory at the end, and the copy is deleted after.
     * {@code fileName} gives the extension for formats without magic bytes.
     */
    public Inspection inspect(InputStream in, String fileName) {
        if (fileName == null || fileName.isBlank()) {
            throw new InvalidInputException("A file name is needed to inspect a stream: its extension tells "
                    + "formats without magic bytes apart");
        }
        // Only the extension is kept: the name comes from elsewhere and must not shape a temporary path.
        String extension = extension(fileName).replaceAll("[^a-z0-9]", "");
        Path copy = null;
        try {
            copy = Files.createTempFile("inspect-", extension.isEmpty() ? "" : "." + extension);
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return inspect(copy);
        } catch (IOException e) {
            throw new StoreIOException("Cannot copy the model stream of " + fileName + " to inspect it: "
                    + e.getMessage(), e);
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    copy.toFile().deleteOnExit(); // a leftover temporary is harmless; retry at exit
                }
            }
        }
    }

    private static Inspection read(Path file, long size, byte[] head) throws IOException {
        String extension = extension(file);
        String format = guess(head, size, extension);
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            ByteInput in = new ByteInput(stream, size);
            return switch (format) {
                case "zip" -> ZipReader.read(file);
                case "gguf" -> GgufReader.read(in);
                case "safetensors" -> SafetensorsReader.read(in);
                case "pytorch-legacy" -> legacyTorch(in);
                case "pytorch-tar" -> TorchTarReader.read(in);
                case "pickle" -> pickle(in, extension);
                case "onnx" -> OnnxReader.read(in);
                default -> unknown(head);
            };
        } catch (Unreadable e) {
            if (format.equals("onnx") && !extension.equals("onnx")) {
                return unknown(head);
            }
            return Inspection.unreadable(format, e.getMessage());
        } catch (ArithmeticException e) {
            return Inspection.unreadable(format, "the sizes it declares overflow 64 bits");
        }
    }

    private static String guess(byte[] head, long size, String extension) {
        if (startsWith(head, new byte[] {'P', 'K', 3, 4}) || startsWith(head, new byte[] {'P', 'K', 5, 6})) {
            return "zip";
        }
        if (startsWith(head, new byte[] {'G', 'G', 'U', 'F'})) {
            return "gguf";
        }
        if (extension.equals("safetensors")
                || head.length > 8 && head[8] == '{' && littleEndian64(head) >= 0
                        && littleEndian64(head) <= size - 8) {
            return "safetensors";
        }
        if (startsWith(head, LEGACY_TORCH)) {
            return "pytorch-legacy";
        }
        if (TorchTarReader.isTar(head)) {
            return "pytorch-tar";
        }
        if (head.length > 0 && (head[0] & 0xff) == 0x80
                || List.of("pkl", "pickle", "joblib", "pt", "pth", "bin").contains(extension) && size > 0) {
            return "pickle";
        }
        if (extension.equals("onnx") || head.length > 0 && head[0] == 0x08) {
            return "onnx";
        }
        return "unknown";
    }

    private static Inspection pickle(ByteInput in, String extension) throws Unreadable {
        PickleScan scan = PickleScanner.scan(in);
        boolean joblib = extension.equals("joblib") || scan.globals().stream().anyMatch(g -> g.startsWith("joblib."));
        Summary summary = new Summary(joblib ? "joblib" : "pickle");
        summary.add(scan);
        summary.details.put("protocol", scan.protocol());
        return summary.finish((joblib ? "joblib" : "pickle") + " protocol " + scan.protocol() + ", "
                + scan.globals().size() + (scan.globals().size() == 1 ? " global" : " globals"));
    }

    /** Before PyTorch 1.6: magic, protocol, system info, the object, the storage keys, then raw storages. */
    private static Inspection legacyTorch(ByteInput in) throws Unreadable {
        Summary summary = new Summary("pytorch-legacy");
        long parameters = 0;
        for (int i = 0; i < LEGACY_PICKLES; i++) {
            PickleScan scan = PickleScanner.scan(in);
            summary.add(scan);
            for (PickleScan.Storage storage : scan.storages().values()) {
                parameters += storage.elements();
            }
        }
        summary.parameters = OptionalLong.of(parameters);
        return summary.finish("PyTorch legacy file, " + summary.tensors.size() + " tensors, "
                + Summary.count(parameters));
    }

    private static Inspection unknown(byte[] head) {
        String magic = HexFormat.ofDelimiter(" ").formatHex(head, 0, Math.min(8, head.length));
        return new Inspection("unknown", "unknown format (first bytes " + magic + ")", Verdict.UNKNOWN,
                List.of(), List.of(), OptionalLong.empty(), List.of(),
                Json.mapper().createObjectNode().put("magic", magic), null, Inspection.SCANNER_VERSION);
    }

    private static long littleEndian64(byte[] head) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (head[i] & 0xff);
        }
        return value;
    }

    private static boolean startsWith(byte[] head, byte[] prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String extension(Path file) {
        return extension(file.getFileName().toString());
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
