package neural.mlops.registry;

/**
 * A lineage value turned into an address by a {@code links} template of workspace.yaml:
 * {@code address} is the template with the value percent-encoded into it. Only an http or https
 * address is {@code browsable} (opened in the desktop browser); another scheme ({@code s3://})
 * is shown as text to copy.
 */
public record LineageLink(LinkField field, String value, String address, boolean browsable) {
}
