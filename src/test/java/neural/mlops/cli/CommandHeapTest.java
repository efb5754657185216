package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import neural.mlops.store.HeapFreeRatios;
import org.junit.jupiter.api.Test;

/** A command's heap ratios are set as the launcher names them, in this JVM, and left alone otherwise. */
class CommandHeapTest {

    @Test
    void theRatiosNamedAreSetAndAnythingElseIsLeftAlone() throws Exception {
        HeapFreeRatios before = HeapFreeRatios.current().orElseThrow();
        try {
            assertThat(CommandHeap.widen(null)).isNull();
            assertThat(CommandHeap.widen("forty,seventy")).isNull();
            assertThat(CommandHeap.widen("70,40")).as("a minimum above the maximum").isNull();
            assertThat(CommandHeap.widen("5,200")).as("more than all of the heap").isNull();
            assertThat(HeapFreeRatios.current()).contains(before);

            Thread setter = CommandHeap.widen("33,77");
            assertThat(setter).isNotNull();
            setter.join();
            assertThat(HeapFreeRatios.current()).contains(new HeapFreeRatios(33, 77));
        } finally {
            assertThat(before.apply()).isTrue();
        }
    }
}
