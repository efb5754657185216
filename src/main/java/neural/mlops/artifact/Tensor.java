package neural.mlops.artifact;

import java.util.List;

/**
 * One tensor a file declares: its name, element type as the format spells it, shape, and the
 * bytes it occupies ({@code -1} when the format does not say, as for quantised GGUF blocks).
 */
public record Tensor(String name, String dtype, List<Long> shape, long bytes) {
    public Tensor {
        shape = List.copyOf(shape);
    }

    /** The number of elements: the product of the shape (1 for a scalar). */
    public long elements() {
        long count = 1;
        for (long dimension : shape) {
            count = Math.multiplyExact(count, dimension);
        }
        return count;
    }
}
