package neural.mlops.deployment;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import neural.mlops.store.BuildInfo;

/**
 * An HTTP GET against a deployment's endpoint, bounded as a whole by the timeout (connecting,
 * waiting for the answer and reading its body), so that a dead, silent, trickling or endless
 * endpoint answers within the timeout and never hangs the caller. At most {@value #MAX_BODY_BYTES}
 * bytes of the body are read; the rest is never fetched. A 2xx answer is healthy; redirects are
 * not followed (to another host or at all) but reported with where they point.
 */
final class HealthProbe {

    /** The body is only drained so that the answer is complete; no health endpoint needs more. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final Duration timeout;
    private final HttpClient client;

    HealthProbe(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    HealthCheck check(URI url, Instant checkedAt) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("User-Agent", "neural-mlops/" + BuildInfo.version() + " health-check")
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            return failed(checkedAt, "cannot probe " + url + ": " + e.getMessage());
        }
        long started = System.nanoTime();
        AtomicInteger headersStatus = new AtomicInteger();
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(request, info -> {
            headersStatus.set(info.statusCode());
            return new CappedBody();
        });
        try {
            // The request timeout stops at the headers; this bound also covers a body that trickles.
            HttpResponse<Void> response = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            int status = response.statusCode();
            return new HealthCheck(checkedAt, status >= 200 && status < 300, status, latencyMs, redirect(response));
        } catch (TimeoutException e) {
            answer.cancel(true);
            return failed(checkedAt, timedOut(url, headersStatus.get()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException && !(e.getCause() instanceof HttpConnectTimeoutException)) {
                return failed(checkedAt, timedOut(url, headersStatus.get()));
            }
            return failed(checkedAt, describe(url, e.getCause()));
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return failed(checkedAt, "probe of " + url + " was interrupted");
        }
    }

    /** For a redirect, where it points (not followed, so that a probe never reaches another host); else null. */
    private static String redirect(HttpResponse<Void> response) {
        int status = response.statusCode();
        if (status < 300 || status >= 400) {
            return null;
        }
        return response.headers().firstValue("Location")
                .map(location -> "redirected to " + location + " (not followed)")
                .orElse("redirected without a Location (not followed)");
    }

    /**
     * Reads the body until it ends or {@value #MAX_BODY_BYTES} bytes have come, then cancels the
     * rest, so that an endless body costs no more than a short one.
     */
    private static final class CappedBody implements HttpResponse.BodySubscriber<Void> {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long received;

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                received += buffer.remaining();
            }
            if (received >= MAX_BODY_BYTES) {
                subscription.cancel();
                done.complete(null);
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }
    private String describe(URI url, Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "could not connect to " + url.getAuthority() + " within " + seconds();
        }
        if (cause instanceof HttpTimeoutException) {
            return noAnswer(url);
        }
        if (cause instanceof ConnectException) {
            // The JDK often leaves a refused connection without a message (or with a closed channel as cause).
            String detail = cause.getMessage() != null && !cause.getMessage().isBlank() ? cause.getMessage() : "connection refused";
            return "could not connect to " + url.getAuthority() + " (" + detail + ")";
        }
        if (cause instanceof IOException) {
            return "HTTP request to " + url + " failed: "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
        }
        return "probe of " + url + " failed: " + cause;
    }

    /** The headers may have come (status known) before the body stalled: say so, it helps whoever debugs the endpoint. */
    private String timedOut(URI url, int headersStatus) {
        return headersStatus == 0 ? noAnswer(url)
                : "HTTP " + headersStatus + " from " + url + " but the body did not arrive within " + seconds();
    }

    private String noAnswer(URI url) {
        return "no answer from " + url + " within " + seconds();
    }

    private String seconds() {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static HealthCheck failed(Instant checkedAt, String error) {
        return new HealthCheck(checkedAt, false, null, null, error);
    }
}
