package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsersTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Alice Smith", "ci-bot@example.com", "ana.garc\u00eda", "\u5f20\u4f1f"})
    void aValidNameIsReturnedExactlyAsGiven(String user) {
        assertThat(Users.problem(user)).isNull();
        assertThat(Users.require(user)).isSameAs(user);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice ", " alice", "alice\u00a0", "\u2007alice", "alice\u202f", "\u3000alice"})
    void surroundingSpaceIsRefusedNotTrimmed(String user) {
        assertThat(Users.problem(user)).isEqualTo("it has leading or trailing spaces; give the name without them");
        assertThatThrownBy(() -> Users.require(user)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Invalid user '").hasMessageContaining("leading or trailing spaces");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\u00a0", "  \u3000 "})
    void aBlankNameIsEmpty(String user) {
        assertThat(Users.problem(user)).isEqualTo("it is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice\t", "\talice", "alice\nbob", "alice\u0085", "alice\u2028bob", "a\u001b[31m"})
    void controlCharactersAndLineBreaksAreRefused(String user) {
        assertThat(Users.problem(user)).isEqualTo("it contains control characters or line breaks");
    }

    @Test
    void aNullOrOverlongNameIsRefused() {
        assertThat(Users.problem(null)).isEqualTo("it is empty");
        assertThat(Users.problem("x".repeat(Users.MAX_LENGTH))).isNull();
        assertThat(Users.problem("x".repeat(Users.MAX_LENGTH + 1))).isEqualTo("it is longer than 256 characters");
    }
}
