/**
 * File-store primitives shared by every store (SPEC 2): atomic document writes, the inter-process
 * lock for read-modify-write, name validation, JSON documents that keep unknown fields, safe YAML,
 * UTC time, and the exceptions that carry a user-facing message.
 *
 * <p>Depends only on the JDK, Jackson and SnakeYAML; every other package may use it.
 */
package neural.mlops.store;
