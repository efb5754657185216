package neural.mlops.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.UtcTime;

/**
 * What a signature vouches for: who does what to which version, towards which stage or
 * environment, under which request, when. Signed as its canonical JSON (keys sorted, no white
 * space, absent fields left out), so a signer and every later verifier agree on the bytes.
 *
 * @param action    the audit action: {@code promote}, {@code request_promotion}, {@code approve_promotion}, ...
 * @param user      the user the action claims to be by; the signature must be by one of that user's keys
 * @param model     the model name
 * @param version   the version
 * @param target    the stage, or the environment of a deployment
 * @param requestId the promotion request, or the deployment id; null when none
 * @param time      when it was signed
 */
public record ActionPayload(String action, String user, String model, String version, String target,
                            String requestId, Instant time) {

    public ActionPayload {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(time, "time");
    }

    /** The fields, snake_case, as stored beside the signature. */
    public Map<String, Object> toMap() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("action", action);
        fields.put("user", user);
        fields.put("model", model);
        fields.put("version", version);
        fields.put("target", target);
        if (requestId != null) {
            fields.put("request_id", requestId);
        }
        fields.put("time", UtcTime.format(time));
        return fields;
    }

    /** The bytes that are signed. */
    public byte[] canonical() {
        try {
            return Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(new TreeMap<>(toMap())).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    /** Reads the stored fields; a missing or malformed one is an {@link SshFormatException}. */
    public static ActionPayload fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new SshFormatException("the signed payload is missing");
        }
        try {
            return new ActionPayload(text(node, "action"), text(node, "user"), text(node, "model"),
                    text(node, "version"), text(node, "target"),
                    node.hasNonNull("request_id") ? text(node, "request_id") : null,
                    UtcTime.parse(text(node, "time")));
        } catch (MlopsException e) {
            throw new SshFormatException("the signed payload's time is invalid: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new SshFormatException("the signed payload has no text field " + field);
        }
        return value.asText();
    }
}
