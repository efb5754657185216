package neural.mlops.store.storage;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
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
 *     the contract's race tests test the client's side of the protocol rather than S3Mock's race.</li>
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
    Filter atomicWrites() {
        ReentrantLock lock = new ReentrantLock();
        return (request, response, chain) -> {
            if (request instanceof HttpServletRequest http && WRITES.contains(http.getMethod())) {
                lock.lock();
                try {
                    chain.doFilter(request, response);
                } finally {
                    lock.unlock();
                }
            } else {
                chain.doFilter(request, response);
            }
        };
    }
}
