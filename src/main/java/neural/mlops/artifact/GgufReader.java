package neural.mlops.artifact;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * GGUF (llama.cpp): magic, version, tensor and metadata counts, the typed metadata key-values and
 * the tensor infos (name, dimensions, ggml type, offset). Arrays are summarised, not kept, so a
 * 150,000-token vocabulary costs no memory; counts and lengths are bounded before anything is read.
 */
final class GgufReader {
    static final long MAX_TENSORS = 1_000_000;
    static final long MAX_KEYS = 100_000;
    private static final int MAX_STRING = 1 << 20;
    private static final int MAX_DIMENSIONS = 8;
    private static final String[] TYPES = {"F32", "F16", "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0", "Q5_1", "Q8_0",
        "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL",
        "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M", "BF16"};

    private GgufReader() {
    }

    static Inspection read(ByteInput in) throws Unreadable {
        in.skip(4, "the magic");
        long version = in.le32();
        if (version < 2 || version > 3) {
            throw new Unreadable("GGUF version " + version + " is not one this reader knows (2 or 3)");
        }
        long tensorCount = in.le64("the tensor count");
        long keyCount = in.le64("the metadata count");
        if (tensorCount > MAX_TENSORS || keyCount > MAX_KEYS) {
            throw new Unreadable("the GGUF header declares " + tensorCount + " tensors and " + keyCount
                    + " metadata keys, more than the limits of " + MAX_TENSORS + " and " + MAX_KEYS);
        }
        Summary summary = new Summary("gguf");
        summary.details.put("version", version);
        ObjectNode metadata = summary.details.putObject("metadata");
        for (long i = 0; i < keyCount; i++) {
            String key = string(in, "a metadata key");
            int type = (int) in.le32();
            value(in, type, metadata, key);
        }
        long parameters = 0;
        for (long i = 0; i < tensorCount; i++) {
            String name = string(in, "a tensor name");
            long dimensions = in.le32();
            if (dimensions > MAX_DIMENSIONS) {
                throw new Unreadable("tensor " + name + " declares " + dimensions + " dimensions");
            }
            List<Long> shape = new ArrayList<>();
            for (int d = 0; d < dimensions; d++) {
                shape.add(in.le64("a tensor dimension"));
            }
            long ggmlType = in.le32();
            in.le64("a tensor offset");
            String dtype = ggmlType < TYPES.length ? TYPES[(int) ggmlType] : "type " + ggmlType;
            Tensor probe = new Tensor(name, dtype, shape, -1);
            long bytes = switch (dtype) {
                case "F32", "I32" -> Math.multiplyExact(probe.elements(), 4);
                case "F16", "BF16", "I16" -> Math.multiplyExact(probe.elements(), 2);
                case "F64", "I64" -> Math.multiplyExact(probe.elements(), 8);
                case "I8" -> probe.elements();
                default -> -1;
            };
            summary.tensors.add(new Tensor(name, dtype, shape, bytes));
            parameters = Math.addExact(parameters, probe.elements());
        }
        summary.parameters = OptionalLong.of(parameters);
        String architecture = metadata.path("general.architecture").asText("unnamed");
        return summary.finish("GGUF v" + version + " " + architecture + ", " + tensorCount + " tensors, "
                + Summary.count(parameters) + ", " + keyCount + " metadata keys");
    }

    private static String string(ByteInput in, String what) throws Unreadable {
        return in.utf8(in.le64(what + " length"), MAX_STRING, what);
    }

    private static void value(ByteInput in, int type, ObjectNode into, String key) throws Unreadable {
        switch (type) {
            case 0 -> into.put(key, in.u8());
            case 1 -> into.put(key, (byte) in.u8());
            case 2 -> into.put(key, in.le16());
            case 3 -> into.put(key, (short) in.le16());
            case 4 -> into.put(key, in.le32());
            case 5 -> into.put(key, (int) in.le32());
            case 6 -> into.put(key, Float.intBitsToFloat((int) in.le32()));
            case 7 -> into.put(key, in.u8() != 0);
            case 8 -> into.put(key, string(in, "a metadata string"));
            case 9 -> array(in, into, key);
            case 10, 11 -> into.put(key, in.le32() | in.le32() << 32);
            case 12 -> into.put(key, Double.longBitsToDouble(in.le32() | in.le32() << 32));
            default -> throw new Unreadable("metadata key " + key + " has the unknown value type " + type);
        }
    }

    /** An array is skipped element by element and summarised: its type and length. */
    private static void array(ByteInput in, ObjectNode into, String key) throws Unreadable {
        int type = (int) in.le32();
        long length = in.le64("an array length");
        ObjectNode scratch = into.objectNode();
        for (long i = 0; i < length; i++) {
            if (type == 9) {
                throw new Unreadable("metadata key " + key + " nests arrays, which this reader refuses");
            }
            value(in, type, scratch, "item");
        }
        into.put(key, "array of " + length);
    }
}
