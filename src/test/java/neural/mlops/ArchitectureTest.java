package neural.mlops;

import static com.tngtech.archunit.lang.SimpleConditionEvent.violated;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatchers;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;

/**
 * The layers of STYLE 1, enforced: the build fails when one is crossed. Every rule is written by
 * package, so a class added to a package falls under its package's rules. docs/architecture.md
 * lists the rules and how to see each one fail.
 */
@AnalyzeClasses(packages = "neural.mlops", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String[] CORE = {
        "neural.mlops.store..", "neural.mlops.registry..", "neural.mlops.deployment..",
        "neural.mlops.audit..", "neural.mlops.ci..", "neural.mlops.workspace..", "neural.mlops.demo..",
        "neural.mlops.policy..", "neural.mlops.bench..", "neural.mlops.artifact.."
    };

    /** The JavaFX-side libraries: the core and the CLI never load them. */
    static final String[] DESKTOP_LIBRARIES = {
        "javafx..", "org.controlsfx..", "atlantafx..", "org.kordamp.."
    };

    /**
     * The floors as they are, each listing every floor below it that it uses. Only dependencies
     * between our own packages are judged (JDK and libraries are the other rules' business), and a
     * package that sits on no floor fails the rule too: a new top-level package must be placed here.
     */
    @ArchTest
    static final ArchRule theFloorsOnlyUseTheFloorsBelowThem = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .ensureAllClassesAreContainedInArchitecture()
            .layer("Store").definedBy("neural.mlops.store..")
            .layer("Identity").definedBy("neural.mlops.identity..")
            .layer("Audit").definedBy("neural.mlops.audit..")
            .layer("Ci").definedBy("neural.mlops.ci..")
            .layer("Artifact").definedBy("neural.mlops.artifact..")
            .layer("Registry").definedBy("neural.mlops.registry..")
            .layer("Deployment").definedBy("neural.mlops.deployment..")
            .layer("Policy").definedBy("neural.mlops.policy..")
            .layer("Workspace").definedBy("neural.mlops.workspace..")
            .layer("Demo").definedBy("neural.mlops.demo..")
            .layer("Bench").definedBy("neural.mlops.bench..")
            .layer("Cli").definedBy("neural.mlops.cli..")
            .layer("App").definedBy("neural.mlops.app..")
            .layer("Main").definedBy("neural.mlops")
            .whereLayer("Store").mayNotAccessAnyLayer()
            .whereLayer("Identity").mayOnlyAccessLayers("Store")
            .whereLayer("Audit").mayOnlyAccessLayers("Identity", "Store")
            .whereLayer("Ci").mayOnlyAccessLayers("Store")
            .whereLayer("Artifact").mayOnlyAccessLayers("Store")
            .whereLayer("Registry").mayOnlyAccessLayers("Artifact", "Audit", "Identity", "Store")
            .whereLayer("Deployment").mayOnlyAccessLayers("Audit", "Identity", "Store")
            .whereLayer("Policy").mayOnlyAccessLayers("Registry", "Artifact", "Audit", "Identity", "Store")
            .whereLayer("Workspace").mayOnlyAccessLayers("Policy", "Deployment", "Registry", "Audit", "Identity", "Store")
            .whereLayer("Demo").mayOnlyAccessLayers("Workspace", "Deployment", "Registry", "Audit", "Store")
            .whereLayer("Bench").mayOnlyAccessLayers("Workspace", "Deployment", "Registry", "Audit", "Store")
            .whereLayer("Cli").mayOnlyAccessLayers("Bench", "Demo", "Workspace", "Policy", "Deployment", "Registry",
                    "Ci", "Artifact", "Audit", "Identity", "Store")
            .whereLayer("App").mayOnlyAccessLayers("Demo", "Workspace", "Policy", "Deployment", "Registry", "Ci",
                    "Artifact", "Audit", "Identity", "Store")
            // The desktop is loaded by name (see mainDoesNotReferenceTheAppDirectly), never referenced.
            .whereLayer("Main").mayOnlyAccessLayers("Cli", "Workspace")
            .as("the floors store < identity < audit, ci, artifact < registry, deployment < policy < workspace < demo, bench "
                    + "< cli, app < Main: each uses only floors below it");

    /** A cycle between top-level packages, whatever the floors say: two packages that cannot be understood apart. */
    @ArchTest
    static final ArchRule thePackagesHaveNoCycles = slices().matching("neural.mlops.(*)..")
            .should().beFreeOfCycles()
            .as("the top-level packages of neural.mlops are free of cycles");

    /** The same between the desktop's tabs and app.common. */
    @ArchTest
    static final ArchRule theDesktopPackagesHaveNoCycles = slices().matching("neural.mlops.app.(*)..")
            .should().beFreeOfCycles()
            .as("the packages of the desktop (app.common and one per tab) are free of cycles");

    @ArchTest
    static final ArchRule coreKnowsNothingOfJavaFx = noClasses()
            .that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(DESKTOP_LIBRARIES)
            .as("the core (store, registry, deployment, audit, ci, ...) must not use JavaFX or its libraries");

    @ArchTest
    static final ArchRule cliRunsWithoutJavaFx = noClasses()
            .that().resideInAPackage("neural.mlops.cli..")
            .should().dependOnClassesThat().resideInAnyPackage(DESKTOP_LIBRARIES)
            .as("the CLI must run without JavaFX");

    /**
     * STYLE 3-5, as an allow list: a view model may use the JDK, JavaFX's observable and task
     * types, the core, and the parts of app.common and of its own package that do not touch the
     * scene graph themselves (DialogService, TaskExecutor, Formats, a sibling view model). Jackson
     * is there because the core hands audit event details over as Jackson trees.
     */
    @ArchTest
    static final ArchRule viewModelsOnlyUseWhatIsAllowed = classes()
            .that(areViewModelsOrNestedInOne())
            .should(onlyDependOnTheViewModelAllowList())
            .as("view models (*ViewModel and their nested classes) use only the JDK, javafx.beans, "
                    + "javafx.collections, javafx.concurrent, javafx.util, the core, and scene-free classes of "
                    + "app.common or their own package");

    @ArchTest
    static final ArchRule nothingUsesAwt = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("java.awt..", "javax.swing..")
            .as("nothing uses AWT or Swing");

    @ArchTest
    static final ArchRule tabsDoNotDependOnEachOther = classes()
            .that().resideInAPackage("neural.mlops.app.common..")
            .should().onlyDependOnClassesThat().resideOutsideOfPackages(
                    "neural.mlops.app.registry..", "neural.mlops.app.deployments..",
                    "neural.mlops.app.audit..", "neural.mlops.app.ci..")
            .as("app.common is shared by the tabs and depends on none of them");

    @ArchTest
    static final ArchRule mainDoesNotReferenceTheAppDirectly = noClasses()
            .that().haveFullyQualifiedName("neural.mlops.Main")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "neural.mlops.app..")
            .as("Main loads the desktop by name so that the CLI never loads JavaFX");

    /** What any view model may use, wherever it lives. */
    private static final PackageMatchers VIEW_MODEL_MAY_USE = PackageMatchers.of(
            "java..", "javafx.beans..", "javafx.collections..", "javafx.concurrent..", "javafx.util",
            "com.fasterxml.jackson..",
            "neural.mlops.store..", "neural.mlops.audit..", "neural.mlops.ci..", "neural.mlops.registry..",
            "neural.mlops.deployment..", "neural.mlops.policy..", "neural.mlops.workspace..", "neural.mlops.demo..",
            "neural.mlops.artifact..", "neural.mlops.identity..");

    /** The scene graph, windows and the controls libraries: what a view may touch and a view model may not. */
    private static final PackageMatchers SCENE = PackageMatchers.of(
            "javafx.scene..", "javafx.stage..", "javafx.embed..", "javafx.fxml..", "org.controlsfx..", "atlantafx..",
            "org.kordamp..");

    private static DescribedPredicate<JavaClass> areViewModelsOrNestedInOne() {
        return DescribedPredicate.describe("are view models or nested in one",
                javaClass -> javaClass.getName().matches(".*ViewModel(\\$.*)?"));
    }

    private static ArchCondition<JavaClass> onlyDependOnTheViewModelAllowList() {
        return new ArchCondition<>("only depend on the view-model allow list") {
            @Override
            public void check(JavaClass viewModel, ConditionEvents events) {
                for (Dependency dependency : viewModel.getDirectDependenciesFromSelf()) {
                    if (!allowedForViewModel(viewModel, dependency.getTargetClass())) {
                        events.add(violated(dependency, dependency.getDescription()
                                + ", which is not on the view-model allow list"));
                    }
                }
            }
        };
    }

    private static boolean allowedForViewModel(JavaClass viewModel, JavaClass target) {
        JavaClass type = target.isArray() ? target.getBaseComponentType() : target;
        if (type.isPrimitive() || VIEW_MODEL_MAY_USE.test(type.getPackageName())) {
            return true;
        }
        boolean shared = type.getPackageName().equals("neural.mlops.app.common")
                || type.getPackageName().equals(viewModel.getPackageName());
        return shared && !touchesTheScene(type);
    }

    /** Whether the class itself (its fields, signatures or code) uses the scene graph. */
    private static boolean touchesTheScene(JavaClass type) {
        return type.getDirectDependenciesFromSelf().stream()
                .anyMatch(dependency -> SCENE.test(dependency.getTargetClass().getPackageName()));
    }
}
