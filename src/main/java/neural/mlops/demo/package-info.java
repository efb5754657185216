/**
 * The demo workspace (SPEC 5 first run, {@code demo create DIR}): a living sample built with the
 * real core API, so it is valid by construction. Core: no JavaFX.
 */
package neural.mlops.demo;
