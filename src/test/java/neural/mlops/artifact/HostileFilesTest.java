package neural.mlops.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files built to hurt a reader: each is refused as "unreadable" with its reason, before any large allocation. */
class HostileFilesTest {
    private final Inspector inspector = new Inspector();

    @TempDir
    Path dir;

    @Test
    void aTruncatedZipIsUnreadableNotAnError() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.file("tiny_mlp.pt"));
        Path file = Files.write(dir.resolve("model.pt"), Arrays.copyOf(whole, whole.length / 2));

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.summary()).startsWith("cannot read: not a complete zip archive");
    }

    @Test
    void aZipBombIsRefusedFromItsDeclaredRatioWithoutInflatingIt() throws IOException {
        Path file = dir.resolve("bomb.pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.message()).contains("archive/data.pkl").contains("zip bomb");
    }

    @Test
    void aSafetensorsHeaderLengthBeyondTheLimitIsRefusedBeforeItIsAllocated() throws IOException {
        Path file = Files.write(dir.resolve("huge.safetensors"),
                concat(le64(1L << 40), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.message()).contains("1099511627776 bytes, more than the limit");
    }

    @Test
    void aSafetensorsHeaderLongerThanTheFileIsRefused() throws IOException {
        Path file = Files.write(dir.resolve("short.safetensors"),
                concat(le64(1000), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.message()).contains("declares 1000 bytes but only 7 remain");
    }

    @Test
    void aSafetensorsTensorWhoseDataLiesOutsideTheFileIsRefused() throws IOException {
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[0,4000000]}}"
                .getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("lying.safetensors"), concat(le64(header.length), header));

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.message()).contains("tensor w's data [0, 4000000) lies outside");
    }

    @Test
    void aDeeplyNestedPickleIsRefusedAtTheStackBound() throws IOException {
        byte[] marks = new byte[PickleScanner.MAX_STACK + 10];
        Arrays.fill(marks, (byte) '(');
        Path file = Files.write(dir.resolve("nested.pkl"), concat(new byte[] {(byte) 0x80, 4}, marks));

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.message()).contains("more than " + PickleScanner.MAX_STACK + " objects");
    }

    @Test
    void aPickleThatEndsWithoutStopIsUnreadable() throws IOException {
        Path file = Files.write(dir.resolve("cut.pkl"), new byte[] {(byte) 0x80, 2, ']', 'q', 0});

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.message()).contains("ends early");
    }

    @Test
    void aPickleStringLongerThanTheFileIsRefusedBeforeItIsRead() throws IOException {
        byte[] op = concat(new byte[] {(byte) 0x80, 4, (byte) 0x8d}, le64(1L << 50));
        Path file = Files.write(dir.resolve("long.pkl"), op);

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.message()).contains("only 0 remain");
    }

    @Test
    void aDangerousCallBeforeTheStreamBreaksIsStillUnsafeSinceTheUnpicklerWouldHaveRunIt() throws IOException {
        Path file = Files.write(dir.resolve("odd.pkl"),
                concat(new byte[] {(byte) 0x80, 2}, "cos\nsystem\n(Vid\ntR".getBytes(StandardCharsets.US_ASCII),
                        new byte[] {(byte) 0xff}));

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(inspection.offendingGlobals()).containsExactly("os.system");
        assertThat(inspection.message()).contains("unknown pickle opcode 0xff at byte 20");
    }

    @Test
    void aBrokenPickleWithOnlySafeImportsIsUnreadable() throws IOException {
        Path file = Files.write(dir.resolve("broken.pkl"),
                concat(new byte[] {(byte) 0x80, 2}, "ccollections\nOrderedDict\n".getBytes(StandardCharsets.US_ASCII),
                        new byte[] {(byte) 0xff}));

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.message()).contains("unknown pickle opcode 0xff at byte 27");
    }

    @Test
    void aProtobufFieldWithAnAbsurdLengthIsRefused() throws IOException {
        byte[] model = {0x08, 0x07, 0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0x0a, 0x00};
        Path file = Files.write(dir.resolve("absurd.onnx"), model);

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.format()).isEqualTo("onnx");
        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.message()).contains("a protobuf field at byte 3 declares").contains("has only 2 left");
    }

    @Test
    void aGgufHeaderDeclaringBillionsOfTensorsIsRefused() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(5_000_000_000L).putLong(0);
        Path file = Files.write(dir.resolve("many.gguf"), header.array());

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(inspection.message()).contains("5000000000 tensors");
    }

    @Test
    void aStreamIsInspectedThroughATemporaryCopyThatIsRemovedAfter() throws IOException {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        long before;
        try (var listing = Files.list(temporary)) {
            before = listing.filter(p -> p.getFileName().toString().startsWith("inspect-")).count();
        }
        Inspection inspection;
        try (InputStream in = Files.newInputStream(Fixtures.file("evil_os_system.pkl"))) {
            inspection = inspector.inspect(in, "upload.pkl");
        }

        assertThat(inspection.offendingGlobals()).containsExactly("os.system");
        try (var listing = Files.list(temporary)) {
            assertThat(listing.filter(p -> p.getFileName().toString().startsWith("inspect-")).count())
                    .isEqualTo(before);
        }
    }

    private static byte[] le64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            ((OutputStream) out).write(part);
        }
        return out.toByteArray();
    }
}
