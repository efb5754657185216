package neural.mlops.artifact;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * ONNX, read from the protobuf wire format (field numbers of onnx.proto's ModelProto, GraphProto,
 * NodeProto, TensorProto, ValueInfoProto and TypeProto). Every length is checked against what
 * remains of its enclosing message before it is read or skipped, so absurd lengths are refused
 * at once; initializer data is skipped, never held.
 */
final class OnnxReader {
    private static final int MAX_STRING = 64 * 1024;
    private static final String[] ELEMENT_TYPES = {"undefined", "float", "uint8", "int8", "uint16", "int16",
        "int32", "int64", "string", "bool", "float16", "double", "uint32", "uint64", "complex64", "complex128",
        "bfloat16", "float8e4m3fn", "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz", "uint4", "int4"};
    private static final int[] WIDTHS = {0, 4, 1, 1, 2, 2, 4, 8, -1, 1, 2, 8, 4, 8, 8, 16, 2, 1, 1, 1, 1, -1, -1};

    private final ByteInput in;
    private final Summary summary = new Summary("onnx");
    private final Map<String, Integer> operators = new TreeMap<>();
    private final List<ObjectNode> inputs = new ArrayList<>();
    private final Set<String> initializerNames = new HashSet<>();
    private long parameters;
    private boolean sawGraph;

    private OnnxReader(ByteInput in) {
        this.in = in;
    }

    static Inspection read(ByteInput in) throws Unreadable {
        return new OnnxReader(in).model();
    }

    private Inspection model() throws Unreadable {
        ArrayNode opsets = summary.details.putArray("opset_import");
        long end = in.remaining();
        while (in.position() < end) {
            long key = varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            switch (field) {
                case 1 -> summary.details.put("ir_version", expect(wire, 0, "ir_version") ? varint() : 0);
                case 2 -> summary.details.put("producer_name", text(wire, end));
                case 3 -> summary.details.put("producer_version", text(wire, end));
                case 7 -> {
                    sawGraph = true;
                    graph(length(wire, end));
                }
                case 8 -> opset(length(wire, end), opsets.addObject());
                default -> skip(wire, end);
            }
        }
        if (!sawGraph) {
            throw new Unreadable("the protobuf message holds no ONNX graph");
        }
        ArrayNode signature = summary.details.putArray("inputs");
        inputs.stream().filter(input -> !initializerNames.contains(input.path("name").asText()))
                .forEach(signature::add);
        ObjectNode byOperator = summary.details.putObject("nodes_by_op");
        operators.forEach(byOperator::put);
        int nodes = operators.values().stream().mapToInt(Integer::intValue).sum();
        summary.details.put("node_count", nodes);
        summary.details.put("initializer_count", initializerNames.size());
        summary.parameters = OptionalLong.of(parameters);
        String opset = opsets.size() > 0 ? "opset " + opsets.get(0).path("version").asLong() : "no opset";
        return summary.finish("ONNX " + opset + " from " + summary.details.path("producer_name").asText("?")
                + ", " + signature.size() + " inputs, " + summary.details.path("outputs").size() + " outputs, "
                + nodes + " nodes, " + Summary.count(parameters));
    }

    private void graph(long end) throws Unreadable {
        ArrayNode outputs = summary.details.putArray("outputs");
        while (in.position() < end) {
            long key = varint();
            int wire = (int) (key & 7);
            switch ((int) (key >>> 3)) {
                case 1 -> node(length(wire, end));
                case 5 -> initializer(length(wire, end));
                case 11 -> inputs.add(valueInfo(length(wire, end)));
                case 12 -> outputs.add(valueInfo(length(wire, end)));
                default -> skip(wire, end);
            }
        }
    }

    private void opset(long end, ObjectNode into) throws Unreadable {
        into.put("domain", "");
        while (in.position() < end) {
            long key = varint();
            int wire = (int) (key & 7);
            switch ((int) (key >>> 3)) {
                case 1 -> into.put("domain", text(wire, end));
                case 2 -> into.put("version", expect(wire, 0, "an opset version") ? varint() : 0);
                default -> skip(wire, end);
            }
        }
    }

    private void node(long end) throws Unreadable {
        String operator = "?";
        String domain = "";
        while (in.position() < end) {
            long key = varint();
            int wire = (int) (key & 7);
            switch ((int) (key >>> 3)) {
                case 4 -> operator = text(wire, end);
                case 7 -> domain = text(wire, end);
                default -> skip(wire, end);
            }
        }
        operators.merge(domain.isEmpty() ? operator : domain + "." + operator, 1, Integer::sum);
    }

    private void initializer(long end) throws Unreadable {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = "";
        long raw = -1;
        while (in.position() < end) {
            long key = varint();
            int wire = (int) (key & 7);
            switch ((int) (key >>> 3)) {
                case 1 -> {
                    if (wire == 2) {
                        long packedEnd = length(wire, end);
                        while (in.position() < packedEnd) {
                            dims.add(varint());
                        }
                    } else {
                        dims.add(expect(wire, 0, "a dimension") ? varint() : 0);
                    }
                }
                case 2 -> type = (int) (expect(wire, 0, "a data type") ? varint() : 0);
                case 8 -> name = text(wire, end);
                case 9 -> {
                    long dataEnd = length(wire, end);
                    raw = dataEnd - in.position();
                    in.skip(raw, "initializer data");
                }
                default -> skip(wire, end);
            }
        }
        for (long dimension : dims) {
            if (dimension < 0) {
                throw new Unreadable("initializer " + name + " has a negative dimension");
            }
        }
        String dtype = type >= 0 && type < ELEMENT_TYPES.length ? ELEMENT_TYPES[type] : "type " + type;
        Tensor probe = new Tensor(name, dtype, dims, -1);
        long bytes = raw >= 0 ? raw
                : type > 0 && type < WIDTHS.length && WIDTHS[type] > 0
                        ? Math.multiplyExact(probe.elements(), WIDTHS[type]) : -1;
        summary.tensors.add(new Tensor(name, dtype, dims, bytes));
        initializerNames.add(name);
        parameters = Math.addExact(parameters, probe.elements());
    }

    /** A graph input or output: its name, element type and shape (numbers, or named dimensions). */
    private ObjectNode valueInfo(long end) throws Unreadable {
        ObjectNode info = summary.details.objectNode();
        while (in.position() < end) {
            long key = varint();
            int wire = (int) (key & 7);
            switch ((int) (key >>> 3)) {
                case 1 -> info.put("name", text(wire, end));
                case 2 -> type(length(wire, end), info);
                default -> skip(wire, end);
            }
        }
        return info;
    }

    private void type(long end, ObjectNode info) throws Unreadable {
        while (in.position() < end) {
            long key = varint();
            int wire = (int) (key & 7);
            if (key >>> 3 == 1) {
                long tensorEnd = length(wire, end);
                while (in.position() < tensorEnd) {
                    long inner = varint();
                    int innerWire = (int) (inner & 7);
                    if (inner >>> 3 == 1 && innerWire == 0) {
                        long element = varint();
                        info.put("elem_type", element < ELEMENT_TYPES.length ? ELEMENT_TYPES[(int) element]
                                : "type " + element);
                    } else if (inner >>> 3 == 2) {
                        shape(length(innerWire, tensorEnd), info.putArray("shape"));
                    } else {
                        skip(innerWire, tensorEnd);
                    }
                }
            } else {
                info.put("elem_type", "not a tensor");
                skip(wire, end);
            }
        }
    }

    private void shape(long end, ArrayNode shape) throws Unreadable {
        while (in.position() < end) {
            long key = varint();
            int wire = (int) (key & 7);
            if (key >>> 3 != 1) {
                skip(wire, end);
                continue;
            }
            long dimensionEnd = length(wire, end);
            String dimension = "?";
            while (in.position() < dimensionEnd) {
                long inner = varint();
                int innerWire = (int) (inner & 7);
                if (inner >>> 3 == 1 && innerWire == 0) {
                    dimension = Long.toString(varint());
                } else if (inner >>> 3 == 2) {
                    dimension = text(innerWire, dimensionEnd);
                } else {
                    skip(innerWire, dimensionEnd);
                }
            }
            if (dimension.chars().allMatch(Character::isDigit) && !dimension.isEmpty()) {
                shape.add(Long.parseLong(dimension));
            } else {
                shape.add(dimension);
            }
        }
    }

    private long varint() throws Unreadable {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.u8();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new Unreadable("a protobuf varint at byte " + in.position() + " is longer than 10 bytes");
    }

    /** The end of a length-delimited field, refused when it would run past its enclosing message. */
    private long length(int wire, long end) throws Unreadable {
        expect(wire, 2, "a nested message");
        long at = in.position();
        long length = varint();
        if (length < 0 || length > end - in.position()) {
            throw new Unreadable("a protobuf field at byte " + at + " declares " + Long.toUnsignedString(length)
                    + " bytes but its message has only " + (end - in.position()) + " left");
        }
        return in.position() + length;
    }

    private String text(int wire, long end) throws Unreadable {
        long stringEnd = length(wire, end);
        return in.utf8(stringEnd - in.position(), MAX_STRING, "a protobuf string");
    }

    private boolean expect(int wire, int expected, String what) throws Unreadable {
        if (wire != expected) {
            throw new Unreadable(what + " at byte " + in.position() + " has wire type " + wire + ", not "
                    + expected + ": this is not an ONNX model");
        }
        return true;
    }

    private void skip(int wire, long end) throws Unreadable {
        switch (wire) {
            case 0 -> varint();
            case 1 -> in.skip(8, "a fixed64 field");
            case 2 -> {
                long fieldEnd = length(wire, end);
                in.skip(fieldEnd - in.position(), "a protobuf field");
            }
            case 5 -> in.skip(4, "a fixed32 field");
            default -> throw new Unreadable("protobuf wire type " + wire + " at byte " + in.position()
                    + " is not one ONNX uses: this is not an ONNX model");
        }
    }
}
