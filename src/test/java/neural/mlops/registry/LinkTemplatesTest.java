package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import neural.mlops.store.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The links templates of workspace.yaml: what a template may be, and how a lineage value goes into one. */
class LinkTemplatesTest {

    private static final Lineage LINEAGE = new Lineage("3f9c2e1", "run 42/b", "s3://bucket/tx 2024?x=1#y", "v1.0.0");

    private static LinkTemplates parse(Map<String, Object> links) {
        return LinkTemplates.of(links, "workspace.yaml");
    }

    private static String problem(LinkField field, String template) {
        return LinkTemplates.problem(field, template).orElseThrow(() -> new AssertionError("accepted: " + template));
    }

    @Test
    void eachFieldWithATemplateBecomesALinkWithItsValueInPlaceOfThePlaceholder() {
        LinkTemplates links = parse(Map.of("commit", "https://github.com/org/repo/commit/{commit}",
                "run", "https://ci.example.com/runs/{run}?tab=logs"));

        assertThat(links.links(LINEAGE)).containsExactly(
                new LineageLink(LinkField.COMMIT, "3f9c2e1", "https://github.com/org/repo/commit/3f9c2e1", true),
                new LineageLink(LinkField.RUN, "run 42/b", "https://ci.example.com/runs/run%2042%2Fb?tab=logs", true));
        assertThat(links.link(LinkField.DATASET, "tx")).isEmpty();
    }

    @Test
    void aValueIsEncodedAsOneComponentSoItCannotChangeTheAddressStructure() {
        assertThat(LinkTemplates.encode("a-b_c.d~e")).isEqualTo("a-b_c.d~e");
        assertThat(LinkTemplates.encode("../../admin?x=1#top @evil")).isEqualTo("..%2F..%2Fadmin%3Fx%3D1%23top%20%40evil");
        assertThat(LinkTemplates.encode("donn\u00e9es")).isEqualTo("donn%C3%A9es");
        LinkTemplates links = LinkTemplates.of(Map.of(LinkField.DATASET, "https://data.example.com/d/{dataset}"));

        assertThat(links.link(LinkField.DATASET, LINEAGE.dataset()).orElseThrow().address())
                .isEqualTo("https://data.example.com/d/s3%3A%2F%2Fbucket%2Ftx%202024%3Fx%3D1%23y");
    }

    @Test
    void aTemplateOtherThanHttpIsKeptAsAnAddressToCopyNotToOpenInTheBrowser() {
        LinkTemplates links = parse(Map.of("dataset", "s3://data/{dataset}"));

        LineageLink link = links.link(LinkField.DATASET, "tx-2024").orElseThrow();
        assertThat(link.address()).isEqualTo("s3://data/tx-2024");
        assertThat(link.browsable()).isFalse();
    }

    @Test
    void thePlaceholderMayAppearMoreThanOnce() {
        LinkTemplates links = LinkTemplates.of(Map.of(LinkField.RUN, "https://ci/{run}?focus={run}"));

        assertThat(links.link(LinkField.RUN, "7").orElseThrow().address()).isEqualTo("https://ci/7?focus=7");
    }

    @Test
    void aTemplateWithoutItsPlaceholderIsRefusedNamingTheKeyAndThePlaceholder() {
        assertThat(problem(LinkField.COMMIT, "https://github.com/org/repo/commit/"))
                .startsWith("links.commit 'https://github.com/org/repo/commit/' has no {commit} placeholder");
        assertThat(problem(LinkField.RUN, "https://ci/{commit}")).startsWith("links.run 'https://ci/{commit}' has no {run}");
    }

    @Test
    void anotherPlaceholderOrAStrayBraceIsRefused() {
        assertThat(problem(LinkField.RUN, "https://ci/{run}/{name}"))
                .contains("links.run").contains("a placeholder other than {run}");
        assertThat(problem(LinkField.RUN, "https://ci/{run}}")).contains("stray brace");
    }

    @Test
    void thePlaceholderMayNotChooseTheSchemeOrTheServer() {
        assertThat(problem(LinkField.COMMIT, "{commit}")).contains("must be an absolute address");
        assertThat(problem(LinkField.COMMIT, "github.com/{commit}")).contains("must be an absolute address");
        assertThat(problem(LinkField.COMMIT, "https://{commit}.example.com/"))
                .contains("links.commit").contains("in the host part");
        assertThat(problem(LinkField.DATASET, "s3://{dataset}")).contains("in the host part");
        assertThat(problem(LinkField.COMMIT, "https://user@{commit}/x")).contains("in the host part");
    }

    @Test
    void aTemplateThatIsNoValidAddressOrHasNoHostIsRefused() {
        assertThat(problem(LinkField.COMMIT, "https://git hub/{commit}")).contains("a space");
        assertThat(problem(LinkField.COMMIT, "https://github.com/\u00e9/{commit}")).contains("ASCII");
        assertThat(problem(LinkField.COMMIT, "https://exa|mple/{commit}")).contains("not a valid address");
        assertThat(problem(LinkField.COMMIT, "https:///{commit}")).contains("has no host");
        assertThat(problem(LinkField.COMMIT, " ")).contains("is empty");
        assertThat(problem(LinkField.COMMIT, "https://x/" + "a".repeat(LinkTemplates.MAX_LENGTH) + "{commit}"))
                .contains("longer than");
    }

    @Test
    void anUnknownKeyOrAValueThatIsNoTextIsRefusedWithTheSourceAndTheKey() {
        Map<String, Object> unknown = new LinkedHashMap<>();
        unknown.put("branch", "https://x/{branch}");
        assertThatThrownBy(() -> parse(unknown)).isInstanceOf(InvalidInputException.class)
                .hasMessage("workspace.yaml: unknown key 'branch' under links; expected one of commit, run, dataset");
        assertThatThrownBy(() -> parse(Map.of("commit", 42))).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("workspace.yaml: links.commit must be a URL template");
        assertThatThrownBy(() -> LinkTemplates.of("https://x/{commit}", "workspace.yaml"))
                .hasMessageStartingWith("workspace.yaml: links must be a mapping of commit, run, dataset");
        assertThatThrownBy(() -> parse(Map.of("commit", "https://x/")))
                .hasMessageStartingWith("workspace.yaml: links.commit 'https://x/' has no {commit} placeholder");
    }

    @Test
    void noLinksOrEmptyKeysGiveNoTemplates() {
        Map<String, Object> empty = new LinkedHashMap<>();
        empty.put("commit", null);
        assertThat(LinkTemplates.of(null, "workspace.yaml").isEmpty()).isTrue();
        assertThat(parse(empty).isEmpty()).isTrue();
        assertThat(LinkTemplates.NONE.links(LINEAGE)).isEmpty();
    }
}
