/**
 * The jar's entry point, {@link neural.mlops.Main}: CLI with a command, desktop without one; and
 * {@link neural.mlops.CdsTraining}, the packaging-time training run of the installers'
 * class-data-sharing archive (packaging/README.md).
 */
package neural.mlops;
