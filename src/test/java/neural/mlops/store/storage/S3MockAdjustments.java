package neural.mlops.store.storage;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.StampedLock;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Added to S3Mock's Spring context ({@code spring.main.sources}) to make the test server behave
 * as AWS S3 does where S3Mock 4.7.0 does not:
 * <ul>
 * <li>its plain-HTTP connector listens on every interface; the tests' server must be reachable
 *     from this machine only;</li>
 * <li>it checks {@code If-None-Match} / {@code If-Match} and then writes without holding a lock, so
 *     two concurrent creates of one key can both succeed (seen here: both threads "won"). S3
 *     decides a conditional write atomically; so writes are serialised here, which is what lets
 *     the contract's race tests test the client's side of the protocol rather than S3Mock's race;</li>
 * <li>it replaces an object's file in place, so a GET that overlaps a PUT of the same key can announce
 *     the new length and send the old, shorter bytes: the client then waits for bytes that never
 *     come (seen: "Read timed out" under concurrent read-modify-writes). S3 serves a GET from one
 *     complete version; so reads wait for writes here, until their (asynchronously streamed) body
 *     is sent.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class S3MockAdjustments {

    private static final Set<String> WRITES = Set.of("PUT", "POST", "DELETE");

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> httpConnectorOnLoopbackOnly() {
        return factory -> factory.getAdditionalTomcatConnectors()
                .forEach(connector -> connector.setProperty("address", "127.0.0.1"));
    }

    @Bean
    Filter atomicWritesAndWholeReads() {
        StampedLock lock = new StampedLock(); // released from whichever thread finishes the response
        return (request, response, chain) -> {
            if (!(request instanceof HttpServletRequest http)) {
                chain.doFilter(request, response);
                return;
            }
            if (WRITES.contains(http.getMethod())) {
                long stamp = lock.writeLock();
                try {
                    chain.doFilter(request, response);
                } finally {
                    lock.unlockWrite(stamp);
                }
                return;
            }
            long stamp = lock.readLock();
            boolean streamedLater = false;
            try {
                chain.doFilter(request, response);
                if (request.isAsyncStarted()) {
                    request.getAsyncContext().addListener(new ReleaseWhenDone(lock, stamp));
                    streamedLater = true;
                }
            } finally {
                if (!streamedLater) {
                    lock.unlockRead(stamp);
                }
            }
        };
    }

    /** Releases a read once its streamed body is sent, or the request failed or timed out. */
    private static final class ReleaseWhenDone implements AsyncListener {
        private final StampedLock lock;
        private final long stamp;
        private final AtomicBoolean released = new AtomicBoolean();

        ReleaseWhenDone(StampedLock lock, long stamp) {
            this.lock = lock;
            this.stamp = stamp;
        }

        private void release() {
            if (released.compareAndSet(false, true)) {
                lock.unlockRead(stamp);
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release();
        }

        @Override
        public void onError(AsyncEvent event) {
            release();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // The same request dispatched again keeps its one read.
        }
    }
}
