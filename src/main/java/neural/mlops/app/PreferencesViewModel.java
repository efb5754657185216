package neural.mlops.app;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.Theme;
import neural.mlops.store.UserConfig;
import neural.mlops.store.Users;

/**
 * The Preferences dialog: the acting user recorded in the audit trail (the OS user unless changed)
 * and the theme. {@link #apply()} saves both.
 */
public final class PreferencesViewModel {

    // Properties
    private final StringProperty user = new SimpleStringProperty();
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper userProblem = new ReadOnlyStringWrapper();
    private final BooleanBinding canApply;

    private final AppPreferences preferences;

    public PreferencesViewModel(AppPreferences preferences) {
        this.preferences = preferences;
        user.set(preferences.user());
        theme.set(preferences.theme());
        userProblem.bind(Bindings.createStringBinding(() -> problemOf(user.get()), user));
        canApply = userProblem.isNull();
    }

    public StringProperty userProperty() {
        return user;
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    /** Why the user name cannot be used, or null when it can. */
    public ReadOnlyStringProperty userProblemProperty() {
        return userProblem.getReadOnlyProperty();
    }

    public BooleanBinding canApplyProperty() {
        return canApply;
    }

    public String osUser() {
        return UserConfig.osUser();
    }

    // Commands

    public void resetUser() {
        user.set(UserConfig.osUser());
    }

    public void apply() {
        if (!canApply.get()) {
            return;
        }
        String name = user.get().strip();
        preferences.setUser(name.equals(UserConfig.osUser()) ? "" : name);
        preferences.setTheme(theme.get());
    }

    static String problemOf(String name) {
        String problem = Users.problem(name);
        return problem == null ? null : "Invalid user name: " + problem + ". It is recorded with every action in the audit trail.";
    }
}
