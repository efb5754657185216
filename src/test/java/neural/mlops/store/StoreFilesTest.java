package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.LocalStorage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StoreFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsARegularFileWhole() throws IOException {
        Path file = Files.write(dir.resolve("doc.json"), new byte[70_000]);

        assertThat(StoreFiles.readRegular(file, 70_000)).hasSize(70_000);
        assertThat(StoreFiles.readRegular(Files.write(dir.resolve("empty"), new byte[0]), 10)).isEmpty();
    }

    @Test
    void readingOrWritingALargeFileLeavesNoNativeBufferOfItsSizeBehind() throws Exception {
        byte[] content = new byte[24 << 20];
        Arrays.fill(content, (byte) 'c');
        Path large = dir.resolve("cache.bin");
        byte[][] read = new byte[1][];

        assertThat(nativeMemoryKeptBy(() -> AtomicFiles.write(large, content))).isLessThanOrEqualTo(2L << 20);
        assertThat(nativeMemoryKeptBy(() -> new LocalStorage(dir).write(Key.of("other.bin"), content, Condition.none())))
                .isLessThanOrEqualTo(2L << 20);
        assertThat(nativeMemoryKeptBy(() -> read[0] = StoreFiles.readRegular(large, content.length)))
                .isLessThanOrEqualTo(2L << 20);
        assertThat(read[0]).isEqualTo(content);
        assertThat(Files.readAllBytes(dir.resolve("other.bin"))).isEqualTo(content);
    }

    /**
     * The direct memory that {@code work} leaves allocated while the thread that did it lives: the
     * JDK keeps the temporary buffers of a channel's reads and writes per thread, for its life.
     */
    private static long nativeMemoryKeptBy(Runnable work) throws InterruptedException {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        long[] kept = new long[1];
        RuntimeException[] failed = new RuntimeException[1];
        Thread worker = new Thread(() -> {
            long before = direct.getMemoryUsed();
            try {
                work.run();
            } catch (RuntimeException e) {
                failed[0] = e;
            }
            kept[0] = direct.getMemoryUsed() - before;
        });
        worker.start();
        worker.join();
        if (failed[0] != null) {
            throw failed[0];
        }
        return kept[0];
    }

    @Test
    void readsSmallFilesAndFilesThatReportNoSizeWhole() throws IOException {
        byte[] event = new byte[700];
        Arrays.fill(event, (byte) 'e');
        assertThat(StoreFiles.readRegular(Files.write(dir.resolve("event.json"), event), 1 << 20)).isEqualTo(event);
        assertThat(StoreFiles.readRegular(Files.write(dir.resolve("one"), new byte[] {'x'}), 1)).containsExactly('x');
        // Linux's /proc files are regular files of size 0 whose reads give content.
        Path status = Path.of("/proc/self/status");
        if (Files.isRegularFile(status)) {
            assertThat(new String(StoreFiles.readRegular(status, 1 << 20), StandardCharsets.UTF_8)).contains("Pid:");
        }
        // Longer than the 8 KB first read of such a file: the byte read past it says to read on.
        Path maps = Path.of("/proc/self/maps");
        if (Files.isRegularFile(maps)) {
            String read = new String(StoreFiles.readRegular(maps, 1 << 24), StandardCharsets.UTF_8);
            assertThat(read.length()).isGreaterThan(8192);
            assertThat(read).contains("libjvm.so").endsWith("\n");
        }
    }

    @Test
    void refusesAFileLargerThanTheBound() throws IOException {
        Path big = Files.write(dir.resolve("big"), new byte[2048]);

        assertThatThrownBy(() -> StoreFiles.readRegular(big, 1024))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("2048 bytes");
        assertThat(StoreFiles.readRegular(big, 4096)).hasSize(2048);
    }

    @Test
    void refusesAFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("doc.json"));

        assertThatThrownBy(() -> StoreFiles.readRegular(folder, 1024))
                .isInstanceOf(CorruptDocumentException.class)
                .hasMessageContaining("not a regular file (a folder)");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void refusesANamedPipeWithoutWaitingOnIt() throws Exception {
        Path pipe = NamedPipes.plant(dir.resolve("head.json"));

        assertThatThrownBy(() -> StoreFiles.readRegular(pipe, 1024))
                .isInstanceOf(CorruptDocumentException.class)
                .hasMessageContaining("not a regular file (a pipe, a device or a socket)");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void refusesADevice() {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero));

        assertThatThrownBy(() -> StoreFiles.readRegular(zero, 1024)).isInstanceOf(CorruptDocumentException.class);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void followsALinkToARegularFileButTheNoFollowReadRefusesIt() throws IOException {
        Path target = Files.writeString(dir.resolve("target.json"), "{}");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), target);

        assertThat(StoreFiles.readRegular(link, 10)).isEqualTo("{}".getBytes());
        assertThatThrownBy(() -> StoreFiles.readRegularNoFollow(link, 10))
                .isInstanceOf(CorruptDocumentException.class)
                .hasMessageContaining("a symbolic link");
    }

    @Test
    void aMissingFileIsAStoreErrorCausedByNoSuchFile() {
        assertThatThrownBy(() -> StoreFiles.readRegular(dir.resolve("missing.json"), 10))
                .isInstanceOf(StoreIOException.class)
                .hasCauseInstanceOf(NoSuchFileException.class);
        assertThat(StoreFiles.present(dir.resolve("missing.json"))).isFalse();
    }

    @Test
    void aLookedAtFileIsReadWithTheAttributesOfWhatWasOpened() throws IOException {
        Path file = Files.write(dir.resolve("doc.json"), "{\"a\": 1}".getBytes(StandardCharsets.UTF_8));
        BasicFileAttributes looked = Files.readAttributes(file, BasicFileAttributes.class);

        StoreFiles.Read read = StoreFiles.readLooked(file, looked, 100).orElseThrow();

        assertThat(new String(read.content(), StandardCharsets.UTF_8)).isEqualTo("{\"a\": 1}");
        assertThat(read.attributes().size()).isEqualTo(8);
        assertThat(read.attributes().fileKey()).isEqualTo(looked.fileKey());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS) // no file keys there: a replacement is not told from the file looked at
    void aFileReplacedAfterItWasLookedAtIsNotReadAsIfItWereTheSame() throws IOException {
        Path file = Files.write(dir.resolve("doc.json"), "{\"old\": 1}".getBytes(StandardCharsets.UTF_8));
        BasicFileAttributes looked = Files.readAttributes(file, BasicFileAttributes.class);
        Path replacement = Files.write(dir.resolve("doc.json.tmp"), "{\"new\": 22}".getBytes(StandardCharsets.UTF_8));
        Files.move(replacement, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        assertThat(StoreFiles.readLooked(file, looked, 100)).isEmpty();
        assertThatThrownBy(() -> StoreFiles.readLooked(dir.resolve("gone.json"), looked, 100))
                .isInstanceOf(StoreIOException.class)
                .hasCauseInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> StoreFiles.readLooked(file, looked, 5))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 5 are read");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aDanglingLinkIsPresentButNotReadable() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));

        assertThat(StoreFiles.present(link)).isTrue();
        assertThatThrownBy(() -> StoreFiles.readRegular(link, 10)).isInstanceOf(StoreIOException.class);
    }
}
