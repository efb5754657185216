/**
 * Helpers shared by the tests of every package: the one hand-moved {@link neural.mlops.testing.TestClock}.
 * Test code only; may use any package of the application.
 */
package neural.mlops.testing;
