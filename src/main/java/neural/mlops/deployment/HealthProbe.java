package neural.mlops.deployment;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import neural.mlops.store.BuildInfo;

/**
 * An HTTP GET against a deployment's endpoint, bounded as a whole by the timeout (connecting,
 * waiting for the answer and reading its body), so that a dead or stalled endpoint answers within
 * the timeout and never hangs the caller. A 2xx answer is healthy; redirects are not followed.
 */
final class HealthProbe {

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
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // The request timeout stops at the headers; this bound also covers a body that trickles.
            HttpResponse<Void> response = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            int status = response.statusCode();
            return new HealthCheck(checkedAt, status >= 200 && status < 300, status, latencyMs, null);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return failed(checkedAt, noAnswer(url));
        } catch (ExecutionException e) {
            return failed(checkedAt, describe(url, e.getCause()));
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return failed(checkedAt, "probe of " + url + " was interrupted");
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
