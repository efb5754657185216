package neural.mlops.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import neural.mlops.store.Json;

/**
 * safetensors: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw data. Only the header is read; it holds no code, so the
 * verdict is safe once the header is consistent with the file.
 */
final class SafetensorsReader {
    static final int MAX_HEADER = 16 * 1024 * 1024;
    private static final Map<String, Integer> WIDTH = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E4M3", 1),
            Map.entry("F8_E5M2", 1), Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2),
            Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8));

    private SafetensorsReader() {
    }

    static Inspection read(ByteInput in) throws Unreadable {
        long length = in.le64("the header length");
        if (length > MAX_HEADER) {
            throw new Unreadable("the safetensors header declares " + length + " bytes, more than the limit of "
                    + MAX_HEADER);
        }
        byte[] header = in.bytes(length, MAX_HEADER, "the safetensors header");
        long dataBytes = in.remaining();
        JsonNode root;
        try {
            root = Json.mapper().readTree(header);
        } catch (JsonProcessingException e) {
            throw new Unreadable("the safetensors header is not JSON: " + Json.describe(e), e);
        } catch (IOException e) {
            throw new Unreadable("the safetensors header cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new Unreadable("the safetensors header is not a JSON object");
        }
        Summary summary = new Summary("safetensors");
        long parameters = 0;
        long bytes = 0;
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals("__metadata__")) {
                summary.details.set("metadata", field.getValue());
                continue;
            }
            Tensor tensor = tensor(field.getKey(), field.getValue(), dataBytes);
            summary.tensors.add(tensor);
            parameters = Math.addExact(parameters, tensor.elements());
            bytes = Math.addExact(bytes, tensor.bytes());
        }
        summary.parameters = OptionalLong.of(parameters);
        summary.details.put("tensor_bytes", bytes);
        return summary.finish(summary.tensors.size() + " tensors, " + Summary.count(parameters) + ", "
                + bytes + " bytes");
    }

    private static Tensor tensor(String name, JsonNode node, long dataBytes) throws Unreadable {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2) {
            throw new Unreadable("tensor " + name + " lacks a dtype, a shape or its two data offsets");
        }
        List<Long> dimensions = new ArrayList<>();
        for (JsonNode dimension : shape) {
            if (!dimension.canConvertToLong() || !dimension.isIntegralNumber() || dimension.asLong() < 0) {
                throw new Unreadable("tensor " + name + " has a shape that is not a list of sizes");
            }
            dimensions.add(dimension.asLong());
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataBytes) {
            throw new Unreadable("tensor " + name + "'s data [" + begin + ", " + end + ") lies outside the "
                    + dataBytes + " data bytes of the file");
        }
        Tensor tensor = new Tensor(name, dtype.asText(), dimensions, end - begin);
        Integer width = WIDTH.get(dtype.asText());
        if (width != null && Math.multiplyExact(tensor.elements(), width) != end - begin) {
            throw new Unreadable("tensor " + name + " declares " + tensor.elements() + " " + dtype.asText()
                    + " elements but " + (end - begin) + " bytes");
        }
        return tensor;
    }
}
