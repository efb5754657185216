package neural.mlops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The parts of the benchmark that decide what is measured, without timing anything. */
class BenchRunnerTest {

    @Test
    void catOfManyFilesIsSplitIntoCommandsUnderTheArgumentLimitKeepingEveryNameOnceInOrder() {
        List<String> names = IntStream.range(0, 100_000).mapToObj(i -> "model_" + i + "_v1.0." + i + ".json").toList();

        List<List<String>> commands = BenchRunner.catCommands("/bin/cat", names, BenchRunner.MAX_ARGUMENT_BYTES);

        assertThat(commands).hasSizeGreaterThan(1);
        for (List<String> command : commands) {
            assertThat(command.get(0)).isEqualTo("/bin/cat");
            assertThat(command).hasSizeGreaterThan(1);
            int bytes = command.subList(1, command.size()).stream().mapToInt(name -> name.length() + 1 + Long.BYTES).sum();
            assertThat(bytes).isLessThanOrEqualTo(BenchRunner.MAX_ARGUMENT_BYTES);
        }
        assertThat(commands.stream().flatMap(command -> command.subList(1, command.size()).stream()).toList())
                .isEqualTo(names);
    }

    @Test
    void tenThousandFilesStayOneCatAsTheEarlierTablesMeasuredThem() {
        List<String> names = IntStream.range(0, 10_000).mapToObj(i -> "fraud_detector_v1.0." + i + ".json").toList();

        assertThat(BenchRunner.catCommands("/bin/cat", names, BenchRunner.MAX_ARGUMENT_BYTES)).singleElement()
                .satisfies(command -> assertThat(command).hasSize(10_001));
    }

    @Test
    void aNameLongerThanTheLimitStillGetsACommandOfItsOwn() {
        List<List<String>> commands = BenchRunner.catCommands("cat", List.of("a".repeat(100), "b", "c"), 50);

        assertThat(commands).containsExactly(List.of("cat", "a".repeat(100)), List.of("cat", "b", "c"));
    }

    @Test
    void twoActionsTimedInTurnLeadEveryOtherRoundWarmUpsIncluded() {
        StringBuilder order = new StringBuilder();

        double[][] millis = BenchRunner.timeInTurn(1, 3, () -> order.append('a'), () -> order.append('b'));

        assertThat(order).hasToString("abbaabba");
        assertThat(millis).hasDimensions(2, 3);
    }

    @Test
    void specSevensAbsoluteTargetsAreJudgedAtItsSizeAndOnlyNamedBeyondIt() {
        assertThat(BenchRunner.specTarget("under 1 s", true, "1,000,000 events a year")).isEqualTo("under 1 s");
        assertThat(BenchRunner.specTarget("under 1 s", false, "1,000,000 events a year"))
                .isEqualTo("SPEC 7: under 1 s at 1,000,000 events a year (not judged at this size)");
    }

    @Test
    void verifysRatioIsJudgedOnTenMillionEventsAndItsHeapOnAnyTrail() {
        BenchRow small = BenchRunner.verifyRow(8_000, 1_000, 70_000, "true", 200);
        BenchRow smallOverHeap = BenchRunner.verifyRow(1_000, 1_000, 70_000, "true", 260);
        BenchRow large = BenchRunner.verifyRow(1_400, 1_000, 10_000_011, "true", 250);
        BenchRow largeTooSlow = BenchRunner.verifyRow(1_600, 1_000, 10_000_011, "true", 250);

        assertThat(small.met()).isTrue();
        assertThat(small.target()).isEqualTo("heap under 256 MB; issue 23's 1.5x the floor is for 10,000,000 events "
                + "(not judged at this size)");
        assertThat(small.detail()).contains("70000 chained events, intact: true, peak heap 200 MB");
        assertThat(smallOverHeap.met()).isFalse();
        assertThat(large.met()).isTrue();
        assertThat(large.target()).isEqualTo("within 1.5x the floor, heap under 256 MB");
        assertThat(largeTooSlow.met()).isFalse();
    }

    @Test
    void aProbeThatFailsIsAFailedRowNamingItsErrorNotTheEndOfTheRun() {
        String output = """
                Exception in thread "main" java.lang.OutOfMemoryError: Java heap space
                	at java.base/java.util.Arrays.copyOf(Arrays.java:3537)
                	at neural.mlops.audit.TrailIndex.concat(TrailIndex.java:969)""";

        BenchRunner.ProbeFailed failed = new BenchRunner.ProbeFailed("VerifyProbe", 1, output);
        BenchReport report = new BenchReport(List.of(new BenchRow("audit: verify the whole trail", "ms", Double.NaN, 217,
                "within 1.5x the floor", false, "run 1 failed: " + failed.reason())), List.of());

        assertThat(failed.reason()).isEqualTo("VerifyProbe exited with 1: Exception in thread \"main\" "
                + "java.lang.OutOfMemoryError: Java heap space");
        assertThat(BenchRunner.ProbeFailed.firstError("done\nelapsed_ms=12")).isEqualTo("elapsed_ms=12");
        assertThat(BenchRunner.ProbeFailed.firstError("")).isEqualTo("see its error output, printed above the table");
        assertThat(report.table()).contains("| audit: verify the whole trail | failed | 217 ms | - | within 1.5x the floor | **no** |");
        assertThat(report.allTargetsMet()).isFalse();
    }
}
