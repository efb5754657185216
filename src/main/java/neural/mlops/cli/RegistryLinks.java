package neural.mlops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import neural.mlops.registry.LineageLink;
import neural.mlops.registry.ModelVersion;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.workspace.Workspace;

/**
 * The lineage links of {@code registry show}: the version's commit, run and dataset put into the
 * {@code links} templates of workspace.yaml (docs/store-format.md). Showing is reading, which is
 * not governed: a broken template is a warning that names its key, and the version is still shown.
 */
final class RegistryLinks {

    private RegistryLinks() {
    }

    /** The links of {@code version}'s lineage; none when there are no templates or they cannot be used. */
    static List<LineageLink> of(CliContext context, ModelVersion version) {
        if (version.lineage() == null || version.lineage().isEmpty()) {
            return List.of();
        }
        try {
            return Workspace.readLinks(context.workspace()).links(version.lineage());
        } catch (InvalidInputException e) {
            context.message("Warning: the lineage links cannot be shown: " + e.getMessage());
            return List.of();
        }
    }

    /** {@code json} with {@code "links": {"commit": "https://..."}} added when there are links. */
    static ObjectNode withLinks(ObjectNode json, List<LineageLink> links) {
        if (!links.isEmpty()) {
            ObjectNode node = Json.mapper().createObjectNode();
            links.forEach(link -> node.put(link.field().value(), link.address()));
            json.set("links", node);
        }
        return json;
    }
}
