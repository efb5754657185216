package neural.mlops.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;
import org.junit.jupiter.api.Test;

/**
 * The generated Jenkinsfiles parse with the Groovy that Jenkins runs pipelines with (2.4, see the
 * pom), up to the conversion to a syntax tree, for every combination of options; what the
 * declarative structure must hold is JenkinsfileParser's part (CiTemplateGeneratorTest).
 */
class JenkinsfileGroovyParseTest {

    private final CiTemplateGenerator generator = new CiTemplateGenerator();

    @Test
    void everyGeneratedJenkinsfileParsesAsGroovyForEveryCombinationOfOptions() {
        for (Map.Entry<String, CiParameters> variant : PipelineVariants.all().entrySet()) {
            String jenkinsfile = generator.generateJenkins(variant.getValue());
            assertThat(convert(jenkinsfile)).as(variant.getKey()).containsExactly("pipeline");
        }
    }

    @Test
    void theGroovyParseRefusesAJenkinsfileWithABrokenString() {
        String jenkinsfile = generator.generateJenkins(CiParameters.defaults());
        // An unescaped quote in a single-quoted string, as a command with a ' would give if the generator forgot to escape it.
        String broken = jenkinsfile.replaceFirst("timeout\\(time: ", "timeout(time: 'x' 'y', ");
        assertThatThrownBy(() -> convert(broken)).isInstanceOf(CompilationFailedException.class);
        assertThatThrownBy(() -> convert(jenkinsfile.replaceFirst("\\}\\s*$", ""))).isInstanceOf(CompilationFailedException.class);
    }

    /**
     * Runs Groovy's front end on the text up to its conversion to a syntax tree, as Jenkins does
     * before it runs a pipeline; returns the methods the script's top-level statements call.
     */
    private static List<String> convert(String jenkinsfile) {
        CompilationUnit unit = new CompilationUnit(new CompilerConfiguration());
        unit.addSource("Jenkinsfile", jenkinsfile);
        unit.compile(Phases.CONVERSION);
        return unit.getAST().getModules().get(0).getStatementBlock().getStatements().stream()
                .map(statement -> statement instanceof ExpressionStatement expression
                        && expression.getExpression() instanceof MethodCallExpression call ? call.getMethodAsString() : statement.getText())
                .toList();
    }
}
