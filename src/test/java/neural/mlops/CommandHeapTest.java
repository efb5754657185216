package neural.mlops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** A command's heap ratios are set as the launcher names them, in this JVM, and left alone otherwise. */
class CommandHeapTest {

    private final HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void theRatiosNamedAreSetAndAnythingElseIsLeftAlone() throws Exception {
        String min = value("MinHeapFreeRatio");
        String max = value("MaxHeapFreeRatio");
        try {
            assertThat(CommandHeap.widen(null)).isNull();
            assertThat(CommandHeap.widen("forty,seventy")).isNull();
            assertThat(CommandHeap.widen("70,40")).as("a minimum above the maximum").isNull();
            assertThat(CommandHeap.widen("5,200")).as("more than all of the heap").isNull();
            assertThat(value("MinHeapFreeRatio")).isEqualTo(min);
            assertThat(value("MaxHeapFreeRatio")).isEqualTo(max);

            Thread setter = CommandHeap.widen("33,77");
            assertThat(setter).isNotNull();
            setter.join();
            assertThat(value("MinHeapFreeRatio")).isEqualTo("33");
            assertThat(value("MaxHeapFreeRatio")).isEqualTo("77");
        } finally {
            // Back to this JVM's own: the maximum first when it rises, the minimum first when it falls.
            flags.setVMOption("MinHeapFreeRatio", String.valueOf(Math.min(Integer.parseInt(min), 33)));
            flags.setVMOption("MaxHeapFreeRatio", max);
            flags.setVMOption("MinHeapFreeRatio", min);
        }
    }

    private String value(String flag) {
        return flags.getVMOption(flag).getValue();
    }
}
