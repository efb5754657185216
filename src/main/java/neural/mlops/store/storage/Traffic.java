package neural.mlops.store.storage;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a storage cost on the network so far: requests by S3 operation ({@code GetObject},
 * {@code PutObject}, {@code ListObjectsV2} ...), every attempt counted (a retried request twice),
 * and the bytes sent and received as the HTTP bodies' lengths. Where the network dominates, the
 * number of requests is the cost to watch (SPEC 9); {@code bench run s3://...} prints it.
 *
 * @param requests attempts by operation name
 * @param bytesSent request body bytes
 * @param bytesReceived response body bytes (as announced by the server)
 */
public record Traffic(Map<String, Long> requests, long bytesSent, long bytesReceived) {

    public static final Traffic NONE = new Traffic(Map.of(), 0, 0);

    public Traffic {
        requests = Map.copyOf(requests);
    }

    /** All requests, of every operation. */
    public long totalRequests() {
        return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    /** What happened between {@code earlier} and this snapshot. */
    public Traffic since(Traffic earlier) {
        Map<String, Long> difference = new TreeMap<>();
        requests.forEach((operation, count) -> {
            long delta = count - earlier.requests.getOrDefault(operation, 0L);
            if (delta != 0) {
                difference.put(operation, delta);
            }
        });
        return new Traffic(difference, bytesSent - earlier.bytesSent, bytesReceived - earlier.bytesReceived);
    }
}
