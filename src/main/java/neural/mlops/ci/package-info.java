/**
 * The CI/CD template generator (SPEC 3.4): four pipeline templates kept as resources under
 * {@code ci_templates/}, the parameters they take ({@link neural.mlops.ci.CiParameters}) and
 * the generator that renders them with Mustache ({@link neural.mlops.ci.CiTemplateGenerator}).
 * Every value reaches a template already validated and quoted for the target's syntax.
 * Depends on {@code neural.mlops.store} only (its {@code storage} package parses {@code s3://} workspaces).
 */
package neural.mlops.ci;
