package neural.mlops.identity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A signed action as the audit event's {@code details.signature} and the request document store
 * it: the payload, the {@code sshsig} signature over its canonical JSON, and (for people) the key.
 */
public record SignedAction(ActionPayload payload, SshSignature signature) {

    /** The details key (and request document field) a signature is stored under. */
    public static final String FIELD = "signature";

    public SignedAction {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(signature, "signature");
    }

    /** {@code {payload: {...}, sshsig: "<base64>", key: "ed25519 SHA256:..."}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("payload", payload.toMap());
        map.put("sshsig", signature.encoded());
        map.put("key", signature.publicKey().toString());
        return map;
    }

    /** Reads a stored signature; a malformed one is an {@link SshFormatException}. */
    public static SignedAction fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new SshFormatException("the signature is not a mapping of payload and sshsig");
        }
        JsonNode sshsig = node.get("sshsig");
        if (sshsig == null || !sshsig.isTextual()) {
            throw new SshFormatException("the signature has no sshsig");
        }
        return new SignedAction(ActionPayload.fromJson(node.get("payload")), SshSignature.parse(sshsig.asText()));
    }

    /** Whether the signature speaks for the payload's user under {@code signers}, at the payload's time. */
    public Verification verify(AllowedSigners signers) {
        return signers.verify(payload.user(), signature, payload.canonical(), payload.time());
    }
}
