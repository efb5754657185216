package neural.mlops.policy;

import java.util.List;
import java.util.stream.Collectors;
import neural.mlops.store.InvalidInputException;

/**
 * workspace.yaml holds an unknown key or a value of the wrong type (SPEC 8): the command stops
 * (CLI status 2) rather than guessing what the policy meant. The message is the first problem,
 * with the file, the line and the key; {@link #problems()} lists every one found.
 */
public final class PolicyFileException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    private final transient List<PolicyProblem> problems;

    PolicyFileException(List<PolicyProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<PolicyProblem> problems() {
        return problems;
    }

    private static String message(List<PolicyProblem> problems) {
        String first = problems.get(0).text();
        if (problems.size() == 1) {
            return first;
        }
        return first + " (and " + (problems.size() - 1) + " more: "
                + problems.subList(1, problems.size()).stream().map(p -> "line " + p.line())
                        .collect(Collectors.joining(", ")) + ")";
    }
}
