package neural.mlops.audit;

import java.time.Instant;

/** The end of the chain as head.json records it: seq 0 and no hash for an empty trail. */
public record ChainHead(long seq, String hash, Instant timestamp) {
}
