package neural.mlops.store.storage;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpHeaders;

/**
 * Counts an S3 client's HTTP requests as they go out (retries included) and the body bytes each
 * way, from the headers only: nothing of a request's content, credentials or signature is looked at.
 */
final class RequestCounter implements ExecutionInterceptor {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        requests.computeIfAbsent(operation == null ? "other" : operation, name -> new LongAdder()).increment();
        sent.addAndGet(contentLength(context.httpRequest()));
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        received.addAndGet(contentLength(context.httpResponse()));
    }

    Traffic snapshot() {
        Map<String, Long> counts = new TreeMap<>();
        requests.forEach((operation, count) -> counts.put(operation, count.sum()));
        return new Traffic(counts, sent.get(), received.get());
    }

    private static long contentLength(SdkHttpHeaders headers) {
        return headers.firstMatchingHeader("Content-Length").map(value -> {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                return 0L;
            }
        }).orElse(0L);
    }
}
