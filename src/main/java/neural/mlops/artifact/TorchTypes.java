package neural.mlops.artifact;

import java.util.Map;

/** The element type and width of each PyTorch storage class a {@code torch.save} pickle names. */
final class TorchTypes {
    private record Type(String dtype, int bytes) {
    }

    private static final Map<String, Type> STORAGES = Map.ofEntries(
            Map.entry("FloatStorage", new Type("float32", 4)),
            Map.entry("DoubleStorage", new Type("float64", 8)),
            Map.entry("HalfStorage", new Type("float16", 2)),
            Map.entry("BFloat16Storage", new Type("bfloat16", 2)),
            Map.entry("LongStorage", new Type("int64", 8)),
            Map.entry("IntStorage", new Type("int32", 4)),
            Map.entry("ShortStorage", new Type("int16", 2)),
            Map.entry("CharStorage", new Type("int8", 1)),
            Map.entry("ByteStorage", new Type("uint8", 1)),
            Map.entry("BoolStorage", new Type("bool", 1)),
            Map.entry("ComplexFloatStorage", new Type("complex64", 8)),
            Map.entry("ComplexDoubleStorage", new Type("complex128", 16)),
            Map.entry("UntypedStorage", new Type("uint8", 1)));

    private TorchTypes() {
    }

    /** A storage of {@code elements} of the class named {@code storageClass}; width -1 when unknown. */
    static PickleScan.Storage storage(String storageClass, long elements) {
        Type type = STORAGES.getOrDefault(storageClass, new Type(storageClass, -1));
        return new PickleScan.Storage(type.dtype(), type.bytes(), elements);
    }
}
