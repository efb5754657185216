/**
 * The benchmark of SPEC 7: a generator of large, valid synthetic workspaces written in a fast
 * bulk mode through the real document codecs and audit chain, and the timed runs of the SPEC 7
 * operations against floors measured in the same run. Core: no JavaFX, no CLI.
 */
package neural.mlops.bench;
