package neural.mlops.identity;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A set of {@link AllowedSigner} lines, and the one answer they give: may this signature speak for
 * this principal at this time? The rules are ssh-keygen's {@code -Y verify}: the signature must be
 * in the namespace and over the message; a plain key must be listed for the principal; a
 * certificate must be signed by a {@code cert-authority} key listed for the principal, name the
 * principal, and be valid at the time; {@code namespaces=} and {@code valid-after}/{@code valid-before} apply.
 */
public final class AllowedSigners {

    /** No signer at all: every signature is refused. */
    public static final AllowedSigners NONE = new AllowedSigners(List.of());

    private final List<AllowedSigner> signers;

    public AllowedSigners(List<AllowedSigner> signers) {
        this.signers = List.copyOf(signers);
    }

    public List<AllowedSigner> signers() {
        return signers;
    }

    /** Parses an allowed_signers file: one signer a line; blank lines and {@code #} comments ignored. */
    public static AllowedSigners parse(String text) {
        List<AllowedSigner> parsed = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                parsed.add(parseLine(line));
            } catch (SshFormatException e) {
                throw new SshFormatException("allowed_signers line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new AllowedSigners(parsed);
    }

    /** One full line: {@code principals [options] keytype base64 [comment]}. */
    public static AllowedSigner parseLine(String line) {
        Tokens tokens = new Tokens(line.strip());
        String principals = tokens.next();
        if (principals == null) {
            throw new SshFormatException("the line is empty");
        }
        return parseKey(List.of(principals.split(",")), tokens.rest());
    }

    /**
     * The line of one user's key in a workspace's {@code identities}: an allowed_signers line
     * without its principals field ({@code [options] keytype base64 [comment]}), speaking for {@code user}.
     */
    public static AllowedSigner parseKeyOf(String user, String entry) {
        return parseKey(List.of(user), entry.strip());
    }

    private static AllowedSigner parseKey(List<String> principals, String rest) {
        Tokens tokens = new Tokens(rest);
        String first = tokens.next();
        if (first == null) {
            throw new SshFormatException("no key follows the principals; expected '[options] <key type> <base64 key>'");
        }
        boolean certAuthority = false;
        Optional<List<String>> namespaces = Optional.empty();
        Instant validAfter = null;
        Instant validBefore = null;
        String type = first;
        if (isOptions(first)) {
            for (String option : splitOptions(first)) {
                int eq = option.indexOf('=');
                String name = (eq < 0 ? option : option.substring(0, eq)).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? null : unquote(option.substring(eq + 1));
                switch (name) {
                    case "cert-authority" -> certAuthority = true;
                    case "namespaces" -> namespaces = Optional.of(List.of(required(name, value).split(",")));
                    case "valid-after" -> validAfter = time(name, required(name, value));
                    case "valid-before" -> validBefore = time(name, required(name, value));
                    default -> throw new SshFormatException("unknown option " + SshPublicKey.Quote.of(name)
                            + "; allowed_signers options are cert-authority, namespaces=, valid-after=, valid-before=");
                }
            }
            type = tokens.next();
            if (type == null) {
                throw new SshFormatException("no key follows the options");
            }
        }
        String base64 = tokens.next();
        if (base64 == null) {
            throw new SshFormatException("the " + type + " key has no base64 field");
        }
        SshPublicKey key = SshPublicKey.parse(type, base64);
        if (key.certificate().isPresent()) {
            throw new SshFormatException("a certificate cannot be an allowed signer; list its authority's key "
                    + "with the cert-authority option");
        }
        return new AllowedSigner(principals, certAuthority, namespaces, validAfter, validBefore, key);
    }

    /** Options hold a value ({@code namespaces=...}) or are {@code cert-authority}; anything else is read as a key type. */
    private static boolean isOptions(String token) {
        return token.contains("=") || token.toLowerCase(Locale.ROOT).startsWith("cert-authority");
    }

    private static String required(String option, String value) {
        if (value == null || value.isEmpty()) {
            throw new SshFormatException("the option " + option + " needs a value (" + option + "=\"...\")");
        }
        return value;
    }

    /**
     * {@code YYYYMMDD[HHMM[SS]][Z]}. OpenSSH reads a time without {@code Z} in the local zone; here
     * it is read in UTC, since a shared workspace has no one local zone (write the Z to agree).
     */
    static Instant time(String option, String text) {
        String digits = text.endsWith("Z") || text.endsWith("z") ? text.substring(0, text.length() - 1) : text;
        try {
            return switch (digits.length()) {
                case 8 -> LocalDate.parse(digits, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay()
                        .toInstant(ZoneOffset.UTC);
                case 12 -> LocalDateTime.parse(digits, DateTimeFormatter.ofPattern("uuuuMMddHHmm"))
                        .toInstant(ZoneOffset.UTC);
                case 14 -> LocalDateTime.parse(digits, DateTimeFormatter.ofPattern("uuuuMMddHHmmss"))
                        .toInstant(ZoneOffset.UTC);
                default -> throw new DateTimeParseException("wrong length", digits, 0);
            };
        } catch (DateTimeParseException e) {
            throw new SshFormatException(option + " must be a time YYYYMMDD[HHMM[SS]][Z], not "
                    + SshPublicKey.Quote.of(text), e);
        }
    }

    /** Splits {@code a,b="x,y",c} at the commas outside quotes. */
    private static List<String> splitOptions(String options) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : options.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new SshFormatException("the options " + SshPublicKey.Quote.of(options) + " have an unclosed quote");
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /** White-space separated tokens; a double-quoted token may hold spaces. */
    private static final class Tokens {
        private final String text;
        private int at;

        Tokens(String text) {
            this.text = text;
        }

        String next() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (at >= text.length()) {
                return null;
            }
            int start = at;
            boolean quoted = false;
            while (at < text.length() && (quoted || !Character.isWhitespace(text.charAt(at)))) {
                if (text.charAt(at) == '"') {
                    quoted = !quoted;
                }
                at++;
            }
            return text.substring(start, at);
        }

        String rest() {
            return text.substring(Math.min(at, text.length())).strip();
        }
    }

    /**
     * Whether {@code signature} is a valid signature over {@code message} in the product's
     * namespace by a key these lines admit for {@code principal} at {@code at}.
     */
    public Verification verify(String principal, SshSignature signature, byte[] message, Instant at) {
        SshPublicKey presented = signature.publicKey();
        if (!signature.namespace().equals(SshSignature.NAMESPACE)) {
            return Verification.refused(presented, "it was made in the namespace '" + signature.namespace()
                    + "', not '" + SshSignature.NAMESPACE + "'");
        }
        if (!signature.verify(message, SshSignature.NAMESPACE)) {
            return Verification.refused(presented, "it does not match the signed content (a forged or edited "
                    + "signature, or a signature over something else)");
        }
        return keyProblem(principal, presented, at).map(why -> Verification.refused(presented, why))
                .orElseGet(() -> Verification.valid(presented));
    }

    /**
     * Why these lines do not admit the key (or certificate) {@code presented} for {@code
     * principal} at {@code at}; empty when they do. The half of {@link #verify} that needs no
     * signature: whether a signer's key would speak for a user, before anything is signed.
     */
    public Optional<String> keyProblem(String principal, SshPublicKey presented, Instant at) {
        String why = null;
        for (AllowedSigner signer : signers) {
            if (!signer.speaksFor(principal)) {
                continue;
            }
            Optional<String> problem = admits(signer, presented, principal, at);
            if (problem.isEmpty()) {
                return Optional.empty();
            }
            why = why == null ? problem.get() : why;
        }
        return Optional.of(why != null ? why
                : "the key " + presented.signingKey() + " is not one of " + principal + "'s listed keys");
    }

    /** Why {@code signer} does not admit {@code presented} for {@code principal} at {@code at}; empty when it does. */
    private static Optional<String> admits(AllowedSigner signer, SshPublicKey presented, String principal, Instant at) {
        Optional<SshCertificate> certificate = presented.certificate();
        if (signer.certAuthority()) {
            if (certificate.isEmpty() || !certificate.get().authority().sameAs(signer.key())) {
                return Optional.of("the key " + presented.signingKey() + " is not one of " + principal
                        + "'s listed keys");
            }
            Optional<String> problem = certificate.get().problem(principal, at);
            if (problem.isPresent()) {
                return problem;
            }
        } else if (!presented.sameAs(signer.key())) {
            return Optional.of("the key " + presented.signingKey() + " is not one of " + principal + "'s listed keys");
        }
        if (!signer.allowsNamespace(SshSignature.NAMESPACE)) {
            return Optional.of("the key may not sign in the namespace " + SshSignature.NAMESPACE);
        }
        return signer.timeProblem(at);
    }
}
