package neural.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import neural.mlops.policy.ApprovalOutcome;
import neural.mlops.policy.Governance;
import neural.mlops.policy.PromotionRequest;
import neural.mlops.policy.RequestListing;
import neural.mlops.policy.RequestStatus;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.Promotion;
import neural.mlops.registry.RegistryProblem;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The promotion request commands of {@code registry} (SPEC 4, 8): {@code request}, {@code approve},
 * {@code reject} and {@code requests}, over the workspace's {@link Governance}. The policy decides;
 * these commands only say what came of it.
 */
final class RegistryRequests {


    private RegistryRequests() {
    }

    static Governance governance(CliContext context) {
        return context.stores().governance();
    }

    /** "alice, carol" and "2 of 3 approvals". */
    static String approvals(PromotionRequest request, int required) {
        return request.agreed().size() + " of " + required + " approvals: " + String.join(", ", request.agreed());
    }

    static ObjectNode promotionJson(Promotion promotion) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.set("promoted", promotion.promoted().toJson());
        node.put("from_stage", promotion.fromStage().value());
        node.put("unchanged", promotion.unchanged());
        ArrayNode archived = node.putArray("archived");
        promotion.archived().forEach(v -> archived.add(v.toJson()));
        return node;
    }

    /** {@code ; archived v1.0.0} for each version a promotion archived, as the promote and approve lines end. */
    static String archivedText(Promotion promotion) {
        StringBuilder text = new StringBuilder();
        for (ModelVersion archived : promotion.archived()) {
            text.append("; archived ").append(archived.version());
        }
        return text.toString();
    }

    /**
     * True when the request named is an alias's ({@code --alias}), false when a stage's ({@code --to});
     * refused unless exactly one of them is given.
     */
    static boolean requireOneTarget(String to, String alias) {
        if ((to == null) == (alias == null)) {
            throw new InvalidInputException("Give --to STAGE for a stage request or --alias A for an alias request"
                    + (to == null ? "" : ", not both"));
        }
        return alias != null;
    }

    @Command(name = "request", description = "Ask for a promotion that needs approvals; you count as the first.")
    static final class Request extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Mixin
        RegistryCommand.VersionRef ref;

        @Option(names = "--to", paramLabel = "STAGE", description = "The stage that needs approvals.")
        String to;

        @Option(names = "--alias", paramLabel = "A", description = "Instead of --to: point alias A at the version, "
                + "where policy.aliases.A.approvals needs approvals.")
        String alias;

        @Option(names = "--reason", required = true, paramLabel = "R", description = "Why; the approvers judge it.")
        String reason;

        @Option(names = "--if-needed", description = "Exit 0 without a new request when the stage needs no approval, "
                + "the version is already in it or an open request for this move exists (for pipelines that re-run).")
        boolean ifNeeded;

        @Override
        public Integer call() {
            CliContext context = context();
            if (requireOneTarget(to, alias)) {
                return requestAlias(context);
            }
            ModelStage target = ModelStage.parse(to);
            Governance governance = governance(context);
            ref.id(context); // NAME@ALIAS: the version the alias points at
            if (ifNeeded) {
                if (reportNeedless(context, governance, target)) {
                    return Cli.OK;
                }
            }
            PromotionRequest request = governance.request(ref.name, ref.version, target, reason);
            if (ifNeeded && context.json()) {
                context.printJson(outcomeJson("requested", request));
            } else if (context.json()) {
                context.printJson(request.toJson());
            } else {
                context.out().println("Requested " + ref.name + " " + ref.version + " -> " + target + " ("
                        + approvals(request, request.approvalsRequired()) + "); another permitted user approves it with: "
                        + "neural-mlops registry approve " + ref.name + " " + ref.version + " --to " + target);
                context.out().flush();
            }
            return Cli.OK;
        }

        private Integer requestAlias(CliContext context) {
            if (ifNeeded) {
                throw new InvalidInputException("--if-needed is for stage requests (--to); give it without --alias");
            }
            ref.id(context);
            PromotionRequest request = governance(context).requestAlias(ref.name, ref.version, alias, reason);
            if (context.json()) {
                context.printJson(request.toJson());
            } else {
                context.out().println("Requested " + ref.name + "@" + alias + " -> " + ref.version + " ("
                        + approvals(request, request.approvalsRequired()) + "); another permitted user approves it with: "
                        + "neural-mlops registry approve " + ref.name + " " + ref.version + " --alias " + alias);
                context.out().flush();
            }
            return Cli.OK;
        }

        /**
         * For {@code --if-needed}: prints why no new request is needed and returns true, or returns
         * false when one must be filed. The JSON {@code outcome} ("in_stage", "no_approval_needed",
         * "open" or "requested") lets a pipeline choose between promoting, waiting and carrying on.
         */
        private boolean reportNeedless(CliContext context, Governance governance, ModelStage target) {
            ModelVersion current = context.registryForReading().getModel(ref.name, ref.version);
            PromotionRequest open = governance.requests(ref.name, false).requests().stream()
                    .filter(r -> r.version().equals(ref.version) && r.toStage() == target).findFirst().orElse(null);
            String outcome;
            String line;
            if (current.stage() == target) {
                outcome = "in_stage";
                line = ref.name + " " + ref.version + " is already in " + target + "; nothing to request";
            } else if (!governance.policy().rule(target).needsApprovals()) {
                outcome = "no_approval_needed";
                line = target + " needs no approval under the workspace policy; promote " + ref.name + " "
                        + ref.version + " directly";
            } else if (open != null) {
                outcome = "open";
                line = ref.name + " " + ref.version + " -> " + target + " is already requested by " + open.requestedBy()
                        + " (" + approvals(open, open.approvalsRequired()) + ")";
            } else {
                return false;
            }
            if (context.json()) {
                context.printJson(outcomeJson(outcome, open));
            } else {
                context.out().println(line);
                context.out().flush();
            }
            return true;
        }
    }

    /** {@code {"outcome": ..., "request": {...} or null}}, what {@code request --if-needed --json} prints. */
    static ObjectNode outcomeJson(String outcome, PromotionRequest request) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("outcome", outcome);
        node.set("request", request == null ? null : request.toJson());
        return node;
    }

    @Command(name = "approve", description = "Approve an open request; the last required approval carries it out.")
    static final class Approve extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Mixin
        RegistryCommand.VersionRef ref;

        @Option(names = "--to", paramLabel = "STAGE", description = "The stage the request is for.")
        String to;

        @Option(names = "--alias", paramLabel = "A", description = "Instead of --to: the alias the request is for.")
        String alias;

        @Override
        public Integer call() {
            CliContext context = context();
            Governance governance = governance(context);
            if (requireOneTarget(to, alias)) {
                ref.id(context);
                PromotionRequest request = governance.approveAlias(ref.name, ref.version, alias);
                if (context.json()) {
                    ObjectNode node = Json.mapper().createObjectNode();
                    node.set("request", request.toJson());
                    context.printJson(node);
                    return Cli.OK;
                }
                int required = Math.max(governance.policy().aliasRule(alias).approvals(), request.agreed().size());
                int missing = required - request.agreed().size();
                context.out().println("Approved " + ref.name + "@" + alias + " -> " + ref.version + " ("
                        + approvals(request, required) + "); " + (missing > 0 ? missing + " more "
                        + (missing == 1 ? "approval" : "approvals") + " needed"
                        : "a permitted user carries it out with: neural-mlops registry alias set " + ref.name + " "
                        + alias + " " + ref.version));
                context.out().flush();
                return Cli.OK;
            }
            ModelStage target = ModelStage.parse(to);
            ref.id(context);
            ApprovalOutcome outcome = governance.approve(ref.name, ref.version, target);
            PromotionRequest request = outcome.request();
            if (context.json()) {
                ObjectNode node = Json.mapper().createObjectNode();
                node.set("request", request.toJson());
                node.set("promotion", outcome.promotion().map(RegistryRequests::promotionJson).orElse(null));
                context.printJson(node);
                return Cli.OK;
            }
            int required = Math.max(governance.policy().rule(target).approvals(), request.agreed().size());
            StringBuilder line = new StringBuilder("Approved " + ref.name + " " + ref.version + " -> " + target + " ("
                    + approvals(request, required) + ")");
            if (outcome.promotion().isPresent()) {
                Promotion promotion = outcome.promotion().get();
                line.append("; promoted from ").append(promotion.fromStage()).append(" to ").append(target)
                        .append(archivedText(promotion));
            } else {
                int missing = Math.max(1, required - request.agreed().size());
                line.append("; ").append(missing).append(" more ").append(missing == 1 ? "approval" : "approvals")
                        .append(" needed");
            }
            context.out().println(line);
            context.out().flush();
            return Cli.OK;
        }
    }

    @Command(name = "reject", description = "Reject an open request, or withdraw your own.")
    static final class Reject extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Mixin
        RegistryCommand.VersionRef ref;

        @Option(names = "--to", paramLabel = "STAGE", description = "The stage the request is for.")
        String to;

        @Option(names = "--alias", paramLabel = "A", description = "Instead of --to: the alias the request is for.")
        String alias;

        @Option(names = "--reason", paramLabel = "R", description = "Why; recorded with the request and in the audit trail.")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            if (requireOneTarget(to, alias)) {
                ref.id(context);
                PromotionRequest closed = governance(context).rejectAlias(ref.name, ref.version, alias, reason);
                if (context.json()) {
                    context.printJson(closed.toJson());
                } else {
                    context.out().println((closed.status() == RequestStatus.WITHDRAWN ? "Withdrew" : "Rejected")
                            + " the request to point " + ref.name + "@" + alias + " at " + ref.version
                            + " (requested by " + closed.requestedBy() + ")");
                    context.out().flush();
                }
                return Cli.OK;
            }
            ModelStage target = ModelStage.parse(to);
            ref.id(context);
            PromotionRequest closed = governance(context).reject(ref.name, ref.version, target, reason);
            if (context.json()) {
                context.printJson(closed.toJson());
            } else {
                context.out().println((closed.status() == RequestStatus.WITHDRAWN ? "Withdrew" : "Rejected")
                        + " the request to move " + ref.name + " " + ref.version + " to " + target
                        + " (requested by " + closed.requestedBy() + ")");
                context.out().flush();
            }
            return Cli.OK;
        }
    }

    @Command(name = "requests", description = "List open promotion and alias requests (--all: closed ones too).")
    static final class Requests extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Option(names = "--name", paramLabel = "N", description = "Requests for model N only.")
        String name;

        @Option(names = "--all", description = "Include approved, rejected and withdrawn requests.")
        boolean all;

        @Override
        public Integer call() {
            CliContext context = context();
            Governance governance = governance(context);
            RequestListing stages = governance.requests(name, all);
            RequestListing aliases = governance.aliasRequests(name, all);
            List<PromotionRequest> requests = new ArrayList<>(stages.requests());
            requests.addAll(aliases.requests());
            requests.sort(Comparator.comparing(PromotionRequest::requestedAt).thenComparing(PromotionRequest::modelId));
            List<RegistryProblem> problems = new ArrayList<>(stages.problems());
            problems.addAll(aliases.problems());
            RequestListing listing = new RequestListing(requests, problems);
            if (context.json()) {
                ArrayNode array = Json.mapper().createArrayNode();
                listing.requests().forEach(request -> array.add(request.toJson()));
                context.printJson(array);
            } else if (listing.requests().isEmpty()) {
                context.message(all ? "No promotion requests." : "No open promotion requests.");
            } else {
                RegistryOutput.Table table = new RegistryOutput.Table("NAME", "VERSION", "TO", "STATUS", "APPROVALS",
                        "REQUESTED BY", "REQUESTED", "REASON");
                for (PromotionRequest request : listing.requests()) {
                    table.row(request.name(), request.version(), request.target(), request.status().value(),
                            request.agreed().size() + "/" + request.approvalsRequired() + " ("
                                    + request.agreed().stream().collect(Collectors.joining(",")) + ")",
                            request.requestedBy(), UtcTime.minute(request.requestedAt()),
                            request.reason().isEmpty() ? "-" : request.reason());
                }
                table.print(context.out());
                context.out().flush();
            }
            RegistryCommand.warnAboutProblems(context, listing.problems());
            return Cli.OK;
        }
    }
}
