/**
 * File-store primitives shared by every store (SPEC 2): atomic document writes, the inter-process
 * lock for read-modify-write, the one rule each for names ({@code Names}) and user names
 * ({@code Users}), the one parser of stored times ({@code UtcTime}) and of the closed sets written
 * as text ({@code Enums}), JSON documents that keep unknown fields, safe YAML, and the exceptions
 * that carry a user-facing message.
 *
 * <p>Depends only on the JDK, Jackson and SnakeYAML; every other package may use it.
 */
package neural.mlops.store;
