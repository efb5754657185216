package neural.mlops.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import neural.mlops.identity.ActionPayload;
import neural.mlops.identity.Identities;
import neural.mlops.identity.SignatureVerdict;
import neural.mlops.identity.SignedAction;
import neural.mlops.identity.SshFormatException;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.Names;
import neural.mlops.store.UtcTime;

/**
 * A request to move a version into a stage that needs approvals (SPEC 8), as its document in
 * {@code models/requests/<name>/<version>/<stage>.json} records it. The requester counts as the
 * first approval; {@code approvals} holds the others, in the order they were given.
 *
 * @param closedBy    who approved last, rejected or withdrew it; null while open
 * @param closedAt    when; null while open
 * @param closeReason the reason given when rejecting or withdrawing; null otherwise
 * @param requestSignature the requester's signature over the request (issue 24); null when unsigned
 * @param closeSignature   the signature of who rejected or withdrew it; null when unsigned or open
 * @param alias            the alias the request would point at the version (#21), kept apart in
 *                         {@code models/alias-requests/<name>/<version>/<alias>.json}; null for a stage
 *                         request, whose {@code toStage} an alias request leaves null
 */
public record PromotionRequest(
        String requestId,
        String name,
        String version,
        ModelStage fromStage,
        ModelStage toStage,
        RequestStatus status,
        String requestedBy,
        Instant requestedAt,
        String reason,
        int approvalsRequired,
        List<Approval> approvals,
        String closedBy,
        Instant closedAt,
        String closeReason,
        SignedAction requestSignature,
        SignedAction closeSignature,
        String alias) {

    public PromotionRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        if ((toStage == null) == (alias == null)) {
            throw new IllegalArgumentException("A request is for a stage or for an alias, not both or neither");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
        reason = reason == null ? "" : reason;
        approvals = List.copyOf(approvals);
    }

    /** A request whose actions are unsigned. */
    public PromotionRequest(String requestId, String name, String version, ModelStage fromStage, ModelStage toStage,
                            RequestStatus status, String requestedBy, Instant requestedAt, String reason,
                            int approvalsRequired, List<Approval> approvals, String closedBy, Instant closedAt,
                            String closeReason) {
        this(requestId, name, version, fromStage, toStage, status, requestedBy, requestedAt, reason, approvalsRequired,
                approvals, closedBy, closedAt, closeReason, null, null, null);
    }

    /** True for a request to point an alias at the version rather than to move it into a stage. */
    public boolean isAlias() {
        return alias != null;
    }

    /** What the request is for, as people read it: {@code production}, or {@code @champion}. */
    public String target() {
        return alias != null ? "@" + alias : toStage.value();
    }

    /** One approval: who gave it, when, and their signature (null when unsigned). */
    public record Approval(String by, Instant at, SignedAction signature) {
        public Approval {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
        }

        /** An unsigned approval. */
        public Approval(String by, Instant at) {
            this(by, at, null);
        }
    }

    /**
     * The verdict on the requester's signature against {@code identities}: valid only when it is
     * over this request (its action, model, version and id) and one of the requester's keys made it.
     */
    public SignatureVerdict requestVerdict(Identities identities) {
        return verdict("request_promotion", requestedBy, requestSignature, identities);
    }

    /** The verdict on {@code approval}'s signature, as {@link #requestVerdict} checks the request's. */
    public SignatureVerdict approvalVerdict(Approval approval, Identities identities) {
        return verdict("approve_promotion", approval.by(), approval.signature(), identities);
    }

    private SignatureVerdict verdict(String action, String user, SignedAction signed, Identities identities) {
        if (signed == null) {
            return SignatureVerdict.unsigned(user);
        }
        ActionPayload payload = signed.payload();
        if (!payload.action().equals(action) || !payload.model().equals(name) || !payload.version().equals(version)
                || !requestId.equals(payload.requestId())) {
            // A valid signature copied from another request or action proves nothing about this one.
            return SignatureVerdict.invalid(user, Optional.of(signed.signature().publicKey()), "it is over "
                    + payload.action() + " of " + payload.model() + " " + payload.version() + " (request "
                    + payload.requestId() + "), not " + action + " of this request");
        }
        return identities.verdict(user, signed);
    }

    /** {@code fraud_detector:v2.0.0}, the audit trail's resource id of the version. */
    public String modelId() {
        return name + ":" + version;
    }

    public boolean isOpen() {
        return status == RequestStatus.OPEN;
    }

    /** The requester, then every approver: the people who agreed, in order. */
    public List<String> agreed() {
        List<String> people = new ArrayList<>();
        people.add(requestedBy);
        approvals.forEach(approval -> people.add(approval.by()));
        return people;
    }

    /** True when {@code user} asked for it or already approved it. */
    public boolean hasAgreed(String user) {
        return agreed().contains(user);
    }

    /** The document, snake_case, as stored and as the CLI prints it with {@code --json}. */
    public ObjectNode toJson() {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("request_id", requestId);
        doc.put("name", name);
        doc.put("version", version);
        doc.put("from_stage", fromStage == null ? null : fromStage.value());
        doc.put("to_stage", toStage == null ? null : toStage.value());
        if (alias != null) {
            doc.put("alias", alias);
        }
        doc.put("status", status.value());
        doc.put("requested_by", requestedBy);
        doc.put("requested_at", UtcTime.format(requestedAt));
        doc.put("reason", reason);
        doc.put("approvals_required", approvalsRequired);
        ArrayNode given = doc.putArray("approvals");
        for (Approval approval : approvals) {
            ObjectNode node = given.addObject();
            node.put("by", approval.by());
            node.put("at", UtcTime.format(approval.at()));
            putSignature(node, approval.signature());
        }
        doc.put("closed_by", closedBy);
        doc.put("closed_at", closedAt == null ? null : UtcTime.format(closedAt));
        doc.put("close_reason", closeReason);
        putSignature(doc, requestSignature, "request_signature");
        putSignature(doc, closeSignature, "close_signature");
        return doc;
    }

    private static void putSignature(ObjectNode node, SignedAction signature) {
        putSignature(node, signature, SignedAction.FIELD);
    }

    private static void putSignature(ObjectNode node, SignedAction signature, String field) {
        if (signature != null) {
            node.set(field, Json.mapper().valueToTree(signature.toMap()));
        }
    }

    /** A stored signature, or null when there is none; a malformed one makes the document corrupt. */
    private static SignedAction signature(JsonNode node, String field, Path file) {
        JsonNode stored = node.get(field);
        if (stored == null || stored.isNull()) {
            return null;
        }
        try {
            return SignedAction.fromJson(stored);
        } catch (SshFormatException e) {
            throw new CorruptDocumentException(file, field + " is malformed: " + e.getMessage());
        }
    }

    /** Reads a request document; a missing or malformed field is reported as a corrupt document. */
    static PromotionRequest fromJson(ObjectNode doc, Path file) {
        try {
            List<Approval> approvals = new ArrayList<>();
            JsonNode given = doc.get("approvals");
            if (given != null && !given.isNull()) {
                if (!given.isArray()) {
                    throw new CorruptDocumentException(file, "approvals must be a list");
                }
                for (JsonNode node : given) {
                    approvals.add(new Approval(text(node, "by", file), UtcTime.parse(text(node, "at", file)),
                            signature(node, SignedAction.FIELD, file)));
                }
            }
            JsonNode required = doc.get("approvals_required");
            String from = optional(doc, "from_stage");
            String closedAt = optional(doc, "closed_at");
            String alias = optional(doc, "alias");
            String to = alias == null ? text(doc, "to_stage", file) : optional(doc, "to_stage");
            return new PromotionRequest(
                    text(doc, "request_id", file),
                    name(doc, "name", file),
                    name(doc, "version", file),
                    from == null ? null : ModelStage.parse(from),
                    to == null ? null : ModelStage.parse(to),
                    RequestStatus.parse(text(doc, "status", file)),
                    text(doc, "requested_by", file),
                    UtcTime.parse(text(doc, "requested_at", file)),
                    optional(doc, "reason"),
                    required != null && required.canConvertToInt() ? required.intValue() : 2,
                    approvals,
                    optional(doc, "closed_by"),
                    closedAt == null ? null : UtcTime.parse(closedAt),
                    optional(doc, "close_reason"),
                    signature(doc, "request_signature", file),
                    signature(doc, "close_signature", file),
                    alias == null ? null : aliasName(alias, file));
        } catch (CorruptDocumentException e) {
            throw e;
        } catch (MlopsException | NullPointerException e) {
            throw new CorruptDocumentException(file, e.getMessage());
        }
    }

    private static String name(JsonNode doc, String field, Path file) {
        String value = text(doc, field, file);
        String problem = Names.problem(value);
        if (problem != null) {
            throw new CorruptDocumentException(file, field + " " + Names.quote(value) + " is invalid: " + problem);
        }
        return value;
    }

    private static String aliasName(String alias, Path file) {
        String problem = neural.mlops.registry.Aliases.problem(alias);
        if (problem != null) {
            throw new CorruptDocumentException(file, "alias " + Names.quote(alias) + " is invalid: " + problem);
        }
        return alias;
    }

    private static String text(JsonNode doc, String field, Path file) {
        JsonNode node = doc.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new CorruptDocumentException(file, "missing text field " + field);
        }
        return node.asText();
    }

    private static String optional(JsonNode doc, String field) {
        JsonNode node = doc.get(field);
        return node == null || !node.isTextual() ? null : node.asText();
    }
}
