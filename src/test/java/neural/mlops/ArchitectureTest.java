package neural.mlops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layers of STYLE 1, enforced: the build fails when one is crossed. */
@AnalyzeClasses(packages = "neural.mlops", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String[] CORE = {
        "neural.mlops.store..", "neural.mlops.registry..", "neural.mlops.deployment..",
        "neural.mlops.audit..", "neural.mlops.ci..", "neural.mlops.workspace..", "neural.mlops.demo..",
        "neural.mlops.policy..", "neural.mlops.bench.."
    };

    @ArchTest
    static final ArchRule coreKnowsNothingOfJavaFxTheCliOrTheApp = noClasses()
            .that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..",
                    "neural.mlops.app..", "neural.mlops.cli..")
            .as("the core (store, registry, deployment, audit, ci, ...) must not use JavaFX, the CLI or the app");

    @ArchTest
    static final ArchRule storeIsTheBottomLayer = noClasses()
            .that().resideInAPackage("neural.mlops.store..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "neural.mlops.registry..", "neural.mlops.deployment..", "neural.mlops.audit..", "neural.mlops.ci..")
            .as("the file-store primitives must not depend on any store built on them");

    @ArchTest
    static final ArchRule cliDoesNotUseTheApp = noClasses()
            .that().resideInAPackage("neural.mlops.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "neural.mlops.app..")
            .as("the CLI must run without JavaFX");

    @ArchTest
    static final ArchRule appDoesNotUseTheCli = noClasses()
            .that().resideInAPackage("neural.mlops.app..")
            .should().dependOnClassesThat().resideInAPackage("neural.mlops.cli..")
            .as("the app goes through the core, not the CLI");

    @ArchTest
    static final ArchRule viewModelsDoNotTouchTheSceneGraph = noClasses()
            .that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "org.controlsfx..")
            .as("view models use only javafx.beans, javafx.collections and javafx.concurrent (STYLE 3)");

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
}
