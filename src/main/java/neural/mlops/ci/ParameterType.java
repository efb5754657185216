package neural.mlops.ci;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import neural.mlops.store.Names;

/**
 * The kinds of value a pipeline parameter holds, each with the rule a value must meet. The rules
 * are deliberately conservative: a value that passes them cannot carry pipeline syntax or shell
 * syntax, whatever template it lands in (the templates quote every value as well).
 */
public enum ParameterType {

    /** A name or environment by the SPEC 2 rule. */
    NAME("a name: ASCII letters, digits, '.', '_' and '-', starting with a letter or digit") {
        @Override
        String problemOf(String value) {
            return Names.problem(value);
        }
    },

    /** A Python version as the platforms' Python set-up steps and images accept it. */
    PYTHON_VERSION("a Python version such as 3.11 or 3.12.4") {
        @Override
        String problemOf(String value) {
            return PYTHON.matcher(value).matches() ? null : "expected a Python version such as 3.11 or 3.12.4";
        }
    },

    /**
     * A single-line shell command. It runs in the pipeline's shell by design (it is the user's
     * own build), so it may hold any shell syntax; it must not break out of the line or carry a
     * platform expression that would be evaluated before the shell sees it.
     */
    COMMAND("a single-line shell command (no '${{')") {
        @Override
        String problemOf(String value) {
            if (value.isEmpty()) {
                return "it is empty; give the command to run";
            }
            return value.length() > 1000 ? "it is longer than 1000 characters" : null;
        }
    },

    /** A file inside the repository checkout. */
    RELATIVE_PATH("a relative path of plain segments, such as artifacts/model.pt") {
        @Override
        String problemOf(String value) {
            if (value.startsWith("/")) {
                return "expected a path relative to the repository, not an absolute one";
            }
            return pathProblem(value);
        }
    },

    /** The workspace folder: relative to the checkout, or an absolute path to a shared folder. */
    WORKSPACE_PATH("a relative path, or an absolute path to a shared folder") {
        @Override
        String problemOf(String value) {
            return pathProblem(value.startsWith("/") && value.length() > 1 ? value.substring(1) : value);
        }
    },

    /** An endpoint: an http or https URL. */
    URL("an http or https URL") {
        @Override
        String problemOf(String value) {
            return urlProblem(value);
        }
    },

    /** Where the tool's package is downloaded from; {@code {version}} stands for the tool version. */
    TOOL_URL("an http or https URL; {version} is replaced by tool_version") {
        @Override
        String problemOf(String value) {
            return urlProblem(value.replace(CiParameters.VERSION_PLACEHOLDER, "0.0.0"));
        }
    },

    /** A branch name by a conservative form of git's ref rules. */
    BRANCH("a git branch name such as main or release/2024") {
        @Override
        String problemOf(String value) {
            if (value.length() > 200) {
                return "it is longer than 200 characters";
            }
            if (!BRANCH_CHARS.matcher(value).matches()) {
                return "only ASCII letters, digits, '.', '_', '-' and '/' are allowed";
            }
            if (value.startsWith("-") || value.startsWith(".") || value.startsWith("/")
                    || value.endsWith("/") || value.endsWith(".") || value.endsWith(".lock")
                    || value.contains("..") || value.contains("//") || value.contains("/.")) {
                return "it is not a valid git branch name";
            }
            return null;
        }
    },

    /** A glob over release tags; a tag it matches becomes a model version, so no '/'. */
    TAG_PATTERN("a tag pattern of letters, digits, '.', '_', '-' and '*', such as v*") {
        @Override
        String problemOf(String value) {
            if (value.length() > 100) {
                return "it is longer than 100 characters";
            }
            if (!TAG_CHARS.matcher(value).matches()) {
                return "only ASCII letters, digits, '.', '_', '-' and '*' are allowed";
            }
            if (value.startsWith("-") || value.startsWith(".") || value.contains("..")) {
                return "it must not start with '-' or '.' nor contain '..'";
            }
            return null;
        }
    },

    /** true or false. */
    BOOLEAN("true or false") {
        @Override
        String problemOf(String value) {
            return value.equals("true") || value.equals("false") ? null : "expected true or false";
        }

        @Override
        String normalize(String value) {
            return value.toLowerCase(Locale.ROOT);
        }
    },

    /** A release of the neural-mlops tool. */
    VERSION("a release version such as 1.2.0") {
        @Override
        String problemOf(String value) {
            return RELEASE.matcher(value).matches() && Names.isValid(value) ? null
                    : "expected a release version such as 1.2.0 or 1.2.0-rc.1";
        }
    },

    /** A SHA-256 digest in hexadecimal, or empty for none. */
    SHA256("64 hexadecimal digits, or empty to skip the check") {
        @Override
        String problemOf(String value) {
            return value.isEmpty() || HEX64.matcher(value).matches() ? null
                    : "expected 64 hexadecimal digits (a SHA-256), or nothing";
        }

        @Override
        String normalize(String value) {
            return value.toLowerCase(Locale.ROOT);
        }
    };

    private static final Pattern PYTHON = Pattern.compile("[0-9]{1,2}\\.[0-9]{1,3}(\\.[0-9]{1,3})?");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*");
    private static final Pattern BRANCH_CHARS = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Pattern TAG_CHARS = Pattern.compile("[A-Za-z0-9._*-]+");
    private static final Pattern RELEASE = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+([.-][A-Za-z0-9]+)*");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    /** URL characters that need no quoting anywhere: no quotes, '$', '{', '\', '`', ';', '!', '(' or space. */
    private static final Pattern URL_CHARS = Pattern.compile("[A-Za-z0-9._~:/?#@%+=&,\\[\\]-]+");

    private final String rule;

    ParameterType(String rule) {
        this.rule = rule;
    }

    /** What a value of this type looks like, for a form's hint or {@code ci list}. */
    public String rule() {
        return rule;
    }

    /** The lower-case name used in JSON and in the documentation. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The rule a (normalized) value breaks, or null when it is valid. */
    abstract String problemOf(String value);

    /** The canonical form of a value; only booleans and digests change. */
    String normalize(String value) {
        return value;
    }

    private static String pathProblem(String value) {
        if (value.isEmpty()) {
            return "it is empty";
        }
        if (value.length() > 255) {
            return "it is longer than 255 characters";
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty()) {
                return "it has an empty segment ('//' or a trailing '/')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "'.' and '..' segments are not allowed";
            }
            if (!PATH_SEGMENT.matcher(segment).matches()) {
                return "each segment may hold only ASCII letters, digits, '.', '_' and '-', and must not start with '-'";
            }
        }
        return null;
    }

    private static String urlProblem(String value) {
        if (value.length() > 2000) {
            return "it is longer than 2000 characters";
        }
        if (!URL_CHARS.matcher(value).matches()) {
            return "expected an http or https URL without spaces, quotes, '$', '{', '}', '\\', '`', ';', '!' or parentheses";
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return "expected an http or https URL";
            }
            if (uri.getRawUserInfo() != null) {
                return "credentials do not belong in a pipeline file; keep them in the platform's secrets";
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return "the URL has no host";
            }
            return null;
        } catch (URISyntaxException e) {
            return "it is not a valid URL: " + e.getReason();
        }
    }
}
