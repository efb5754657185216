package neural.mlops.app.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import neural.mlops.app.ci.CodeTokens.Kind;
import neural.mlops.app.ci.CodeTokens.Token;
import org.junit.jupiter.api.Test;

/** The preview's tokenizer: keys, strings, comments and keywords, and nothing lost. */
class CodeTokensTest {

    static String joined(List<Token> tokens) {
        return tokens.stream().map(Token::text).collect(Collectors.joining());
    }

    @Test
    void yamlKeysStringsAndCommentsAreTokensOfTheirOwn() {
        List<Token> tokens = CodeTokens.line("  - name: \"Register # not a comment\" # a comment", true);

        assertThat(tokens).containsExactly(
                new Token(Kind.PLAIN, "  - "),
                new Token(Kind.KEY, "name:"),
                new Token(Kind.PLAIN, " "),
                new Token(Kind.STRING, "\"Register # not a comment\""),
                new Token(Kind.PLAIN, " "),
                new Token(Kind.COMMENT, "# a comment"));
    }

    @Test
    void yamlSingleQuotesEscapeByDoublingAndUnclosedStringsRunToTheEnd() {
        assertThat(CodeTokens.line("a: 'it''s' x", true)).contains(new Token(Kind.STRING, "'it''s'"));
        assertThat(CodeTokens.line("a: \"open", true)).last().isEqualTo(new Token(Kind.STRING, "\"open"));
        assertThat(CodeTokens.line("url: https://x/y#z", true)).noneMatch(token -> token.kind() == Kind.COMMENT);
    }

    @Test
    void groovyKeywordsStringsAndCommentsAreTokensOfTheirOwn() {
        List<Token> tokens = CodeTokens.line("        stage('Test') { sh 'python -m pytest' } // run", false);

        assertThat(tokens).contains(new Token(Kind.KEYWORD, "stage"), new Token(Kind.STRING, "'Test'"),
                new Token(Kind.KEYWORD, "sh"), new Token(Kind.STRING, "'python -m pytest'"), new Token(Kind.COMMENT, "// run"));
        assertThat(CodeTokens.line("x = \"\"\"a\"b\"\"\" + stages", false))
                .contains(new Token(Kind.STRING, "\"\"\"a\"b\"\"\""), new Token(Kind.KEYWORD, "stages"));
        assertThat(CodeTokens.line("mystage = 1", false)).noneMatch(token -> token.kind() == Kind.KEYWORD);
    }

    @Test
    void theTokensOfALineGiveTheLineBack() {
        for (String line : List.of("", "   ", "key: value # c", "- 'a' \"b\" c", "pipeline { agent any }", "'unterminated",
                "a: \"esc \\\" q\"")) {
            assertThat(joined(CodeTokens.line(line, true))).isEqualTo(line);
            assertThat(joined(CodeTokens.line(line, false))).isEqualTo(line);
        }
    }
}
