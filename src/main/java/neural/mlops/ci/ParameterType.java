package neural.mlops.ci;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;
import neural.mlops.store.storage.S3Location;

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

    OPTIONAL_COMMAND("a single-line shell command (no '${{'), or empty for none") {
        @Override
        String problemOf(String value) {
            return value.isEmpty() ? null : COMMAND.problemOf(value);
        }
    },

    /**
     * A file inside the repository checkout. Its file name meets the registry's name rule (the
     * registry keeps the model under that name), and it is not in a folder the pipeline uses itself.
     */
    RELATIVE_PATH("a relative path of plain segments whose file name is a valid name, such as artifacts/model.pt") {
        @Override
        String problemOf(String value) {
            if (value.startsWith("/")) {
                return "expected a path relative to the repository, not an absolute one";
            }
            String problem = pathProblem(value);
            if (problem != null) {
                return problem;
            }
            String fileName = CiParameters.fileName(value);
            String nameProblem = Names.problem(fileName);
            if (nameProblem != null) {
                return "the file name " + Names.quote(fileName) + " breaks the registry's name rule: " + nameProblem;
            }
            return ownFolderProblem(value);
        }
    },

    /** A file inside the repository checkout by the {@link #RELATIVE_PATH} rule, or empty for none. */
    OPTIONAL_RELATIVE_PATH("a relative path such as config/train.yaml, or empty for none") {
        @Override
        String problemOf(String value) {
            return value.isEmpty() ? null : RELATIVE_PATH.problemOf(value);
        }
    },

    /** Which way a metric improves, as the release's metric gate compares it. */
    DIRECTION("higher or lower") {
        @Override
        String problemOf(String value) {
            return value.equals("higher") || value.equals("lower") ? null
                    : "expected higher (a larger value is better) or lower (a smaller value is better)";
        }
    },

    /**
     * The workspace: a folder relative to the checkout, an absolute path to a shared folder, or a
     * bucket location {@code s3://bucket/prefix} (kept in its canonical form).
     */
    WORKSPACE_PATH("a relative path, an absolute path to a shared folder, or s3://bucket/prefix") {
        @Override
        String problemOf(String value) {
            if (S3Location.isS3(value)) {
                try {
                    String prefix = S3Location.parse(value).prefix();
                    return prefix.isEmpty() ? null : pathProblem(prefix.substring(0, prefix.length() - 1));
                } catch (InvalidInputException e) {
                    return e.getMessage();
                }
            }
            if (value.contains("://")) {
                return "the only remote workspaces are s3://bucket/prefix";
            }
            boolean absolute = value.startsWith("/") && value.length() > 1;
            String problem = pathProblem(absolute ? value.substring(1) : value);
            if (problem != null || absolute) {
                return problem;
            }
            String last = CiParameters.fileName(value);
            String nameProblem = Names.problem(last);
            if (nameProblem != null) {
                return "the folder name " + Names.quote(last) + " breaks the registry's name rule: " + nameProblem;
            }
            return ownFolderProblem(value);
        }

        @Override
        String normalize(String value) {
            if (!S3Location.isS3(value)) {
                return value;
            }
            try {
                return S3Location.parse(value).toString();
            } catch (InvalidInputException e) {
                return value; // problemOf reports it
            }
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

    /** A SHA-256 digest in hexadecimal; empty only while the pipeline is being drafted (it then refuses to install). */
    SHA256("64 hexadecimal digits (the pipeline refuses to install the tool without them)") {
        @Override
        String problemOf(String value) {
            return value.isEmpty() || HEX64.matcher(value).matches() ? null
                    : "expected 64 hexadecimal digits (a SHA-256), or nothing";
        }

        @Override
        String normalize(String value) {
            return value.toLowerCase(Locale.ROOT);
        }
    },

    /** A container image pinned by digest, so that every run uses the same bytes. */
    IMAGE("an image pinned by digest, such as python:3.11@sha256:<64 hex digits>") {
        @Override
        String problemOf(String value) {
            if (value.length() > 500) {
                return "it is longer than 500 characters";
            }
            if (!value.contains("@sha256:")) {
                return "pin the image by digest: name[:tag]@sha256:<64 hex digits> (a tag alone can be moved)";
            }
            return IMAGE_REFERENCE.matcher(value).matches() ? null
                    : "expected name[:tag]@sha256:<64 lowercase hex digits>, such as python:3.11@sha256:...";
        }
    },

    /** An AWS region (or the region an S3-compatible server expects). */
    AWS_REGION("an AWS region such as eu-west-1") {
        @Override
        String problemOf(String value) {
            return value.length() <= 50 && REGION.matcher(value).matches() ? null
                    : "expected a region such as us-east-1 or eu-west-1 (lowercase letters, digits and '-')";
        }
    },

    /** The IAM role a pipeline assumes with its platform's OIDC token, or empty for none. */
    ROLE_ARN("an IAM role ARN such as arn:aws:iam::123456789012:role/neural-mlops-ci, or empty") {
        @Override
        String problemOf(String value) {
            return value.isEmpty() || ROLE.matcher(value).matches() ? null
                    : "expected an IAM role ARN such as arn:aws:iam::123456789012:role/neural-mlops-ci";
        }
    },

    /** The id of a stored credential or connection by the name rule, or empty for none. */
    OPTIONAL_NAME("a name by the name rule, or empty for none") {
        @Override
        String problemOf(String value) {
            return value.isEmpty() ? null : Names.problem(value);
        }
    },

    /**
     * The name of a secret in the platform's store: one name that every platform accepts (a GitHub
     * secret, a GitLab variable, an Azure secure file, a Jenkins credential id). It lands in shell
     * and in platform expressions unquoted, so the rule admits nothing else. The variables the tool
     * itself reads are refused: GitLab would hand the raw secret to every command under that name.
     */
    SECRET_NAME("a secret name of ASCII letters, digits and '_', starting with a letter, such as "
            + "NEURAL_MLOPS_CI_SIGNING_KEY") {
        @Override
        String problemOf(String value) {
            if (!SECRET.matcher(value).matches()) {
                return "expected ASCII letters, digits and '_', starting with a letter, at most 100 characters "
                        + "(the one form GitHub, GitLab, Azure and Jenkins all accept)";
            }
            String upper = value.toUpperCase(Locale.ROOT);
            if (upper.startsWith("GITHUB_")) {
                return "GitHub reserves names starting with GITHUB_";
            }
            if (upper.equals("NEURAL_MLOPS_SIGNING_KEY") || upper.equals("NEURAL_MLOPS_AUDIT_KEY")) {
                return "the tool reads " + upper + " itself (the signing key's path, the audit key); name the secret "
                        + "otherwise, such as NEURAL_MLOPS_CI_SIGNING_KEY";
            }
            return null;
        }
    },

    /**
     * Azure DevOps users or groups, comma-separated (alice@example.com, [Fraud]\\Release Approvers),
     * or empty. Plain characters only: a '$(' would be expanded by Azure as a macro.
     */
    PEOPLE("users or groups separated by commas (alice@example.com, [Project]\\Release Approvers), or empty") {
        @Override
        String problemOf(String value) {
            if (value.isEmpty()) {
                return null;
            }
            for (String entry : value.split(",", -1)) {
                if (!PERSON.matcher(entry.strip()).matches()) {
                    return "'" + entry.strip() + "' is not a user or group: letters, digits, spaces and . _ - @ [ ] \\ only";
                }
            }
            return value.length() > 1000 ? "it is longer than 1000 characters" : null;
        }
    },

    /** A whole number of minutes, as every platform's job timeout takes it. */
    MINUTES("a whole number of minutes from 1 to 4320") {
        @Override
        String problemOf(String value) {
            return rangeProblem(value, 1, 4320);
        }
    },

    /** A whole number of days that an artifact is kept. */
    DAYS("a whole number of days from 1 to 400") {
        @Override
        String problemOf(String value) {
            return rangeProblem(value, 1, 400);
        }
    };

    private static final Pattern PYTHON = Pattern.compile("[0-9]{1,2}\\.[0-9]{1,3}(\\.[0-9]{1,3})?");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*");
    private static final Pattern BRANCH_CHARS = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Pattern TAG_CHARS = Pattern.compile("[A-Za-z0-9._*-]+");
    private static final Pattern RELEASE = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+([.-][A-Za-z0-9]+)*");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    /** Registry host (optional), repository path, tag (optional) and the digest, as the OCI reference grammar has them. */
    private static final Pattern IMAGE_REFERENCE = Pattern.compile("(?:[a-z0-9.-]+(?::[0-9]{1,5})?/)?"
            + "[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
            + "@sha256:[0-9a-f]{64}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
    private static final Pattern PERSON = Pattern.compile("[A-Za-z0-9@\\[][A-Za-z0-9 ._@\\[\\]\\\\-]{0,199}");
    private static final Pattern ROLE = Pattern.compile("arn:aws(?:-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,6}");
    /** Folders of the checkout that the generated pipelines write themselves. */
    private static final List<String> PIPELINE_FOLDERS = List.of("model-handoff", "audit-trail", ".neural-mlops", ".venv");
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

    private static String ownFolderProblem(String value) {
        String first = value.split("/", -1)[0];
        return PIPELINE_FOLDERS.contains(first) ? "the pipeline uses the folder " + first + "/ itself; choose another"
                : null;
    }

    private static String rangeProblem(String value, int min, int max) {
        if (!DIGITS.matcher(value).matches()) {
            return "expected a whole number from " + min + " to " + max;
        }
        int number = Integer.parseInt(value);
        return number < min || number > max ? "expected a whole number from " + min + " to " + max : null;
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
