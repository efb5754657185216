package neural.mlops.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/ci-templates.md shows what the code generates, not what it once generated. */
class CiTemplatesDocTest {

    private static final Path DOC = Path.of("docs", "ci-templates.md");

    @Test
    void everyPipelineOnThePageIsWhatTheGeneratorProducesWithDefaults() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        CiTemplateGenerator generator = new CiTemplateGenerator();
        for (Platform platform : Platform.values()) {
            Matcher block = Pattern.compile("<!-- pipeline: " + platform.value() + " -->\n```(yaml|groovy)\n(.*?)```\n<!-- /pipeline -->",
                    Pattern.DOTALL).matcher(doc);
            assertThat(block.find()).as("a generated block for " + platform.value()).isTrue();
            assertThat(block.group(2))
                    .as("docs/ci-templates.md is out of date for %s: regenerate it with 'neural-mlops ci generate --platform %s'",
                            platform.value(), platform.value())
                    .isEqualTo(generator.generate(platform, CiParameters.defaults()));
        }
    }

    @Test
    void theParameterTableListsEveryParameterWithItsDefault() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String table = doc.substring(doc.indexOf("<!-- parameters -->"), doc.indexOf("<!-- /parameters -->"));
        for (Parameter parameter : CiParameters.definitions()) {
            String shown = parameter.defaultValue().isEmpty() ? "(none)" : "`" + parameter.defaultValue() + "`";
            assertThat(table).contains("| `" + parameter.name() + "` | " + shown + " | " + parameter.description() + " |");
        }
        assertThat(table.lines().filter(line -> line.startsWith("| `"))).hasSize(CiParameters.definitions().size());
    }
}
