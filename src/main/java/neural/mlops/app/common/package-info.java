/**
 * What every screen shares: the dialog service, the background task executor, the theme and the
 * user's preferences. May use JavaFX and the core; never a tab's package.
 */
package neural.mlops.app.common;
