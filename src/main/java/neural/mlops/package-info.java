/** The jar's entry point, {@link neural.mlops.Main}: CLI with a command, desktop without one. */
package neural.mlops;
