package neural.mlops.ci;

/**
 * Quoting for each target syntax. The parameter rules already keep hostile characters out; these
 * functions are total anyway, so that a value is inert in its place even if a rule were loosened.
 */
final class Quoting {

    private Quoting() {
    }

    /** A YAML double-quoted scalar: backslash, quote and every non-printable character escaped. */
    static String yaml(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (printable(cp)) {
                        out.appendCodePoint(cp);
                    } else if (cp > 0xffff) {
                        out.append(String.format("\\U%08x", cp));
                    } else {
                        out.append(String.format("\\u%04x", cp));
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** A Groovy single-quoted string: no interpolation, so only backslash and quote need escapes. */
    static String groovy(String value) {
        return "'" + groovyEscaped(value) + "'";
    }

    /**
     * Text placed inside a Groovy triple-single-quoted string (a Jenkins {@code sh '''...'''}
     * script): escaped so that Groovy hands the shell exactly this text.
     */
    static String groovyEscaped(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().forEach(cp -> {
            switch (cp) {
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (printable(cp)) {
                        out.appendCodePoint(cp);
                    } else {
                        appendUnicodeEscape(out, cp);
                    }
                }
            }
        });
        return out.toString();
    }

    /** A string literal in GitHub Actions or Azure Pipelines expressions: single quotes, doubled inside. */
    static String expressionLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * A string literal in GitLab CI rules. GitLab documents no escape inside these literals, so a
     * value that would need one is refused (the branch rule never lets one through).
     */
    static String gitlabLiteral(String value) {
        if (value.contains("\"") || value.contains("\\") || !value.codePoints().allMatch(Quoting::printable)) {
            throw new IllegalArgumentException("Cannot quote " + value + " for a GitLab rule");
        }
        return "\"" + value + "\"";
    }

    /** A GitLab rule regular expression ({@code /^...$/}) matching exactly what the glob matches. */
    static String gitlabRegex(String glob) {
        StringBuilder out = new StringBuilder("/^");
        glob.codePoints().forEach(cp -> {
            if (cp == '*') {
                out.append(".*");
            } else if (Character.isLetterOrDigit(cp) && cp < 128 || cp == '_' || cp == '-') {
                out.appendCodePoint(cp);
            } else if (cp < 128 && cp > ' ' && cp != 127) {
                out.append('\\').appendCodePoint(cp); // RE2 takes any escaped ASCII punctuation literally
            } else {
                throw new IllegalArgumentException("Cannot express " + glob + " as a GitLab rule");
            }
        });
        return out.append("$/").toString();
    }

    private static boolean printable(int cp) {
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff) {
            return false;
        }
        int kind = Character.getType(cp);
        return kind != Character.SURROGATE && kind != Character.UNASSIGNED && kind != Character.FORMAT;
    }

    private static void appendUnicodeEscape(StringBuilder out, int cp) {
        for (char c : Character.toChars(cp)) {
            out.append(String.format("\\u%04x", (int) c));
        }
    }
}
