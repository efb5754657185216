package neural.mlops.deployment;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 and a free port, for health probes: {@code /ok} answers 200,
 * {@code /fail} 500, {@code /slow} only once the test is over (so a probe of it must time out),
 * {@code /endless} 200 with a body that never ends, {@code /stalled-body} 200 with a body that
 * stops after a few bytes until the test is over. {@link #raw} serves exact bytes, for answers a
 * well-behaved server would not send. Nothing here waits on a clock: a server that must not
 * finish waits for the end of the test.
 */
public final class TestEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<ServerSocket> rawSockets = new CopyOnWriteArrayList<>();

    public TestEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/ok", exchange -> answer(exchange, 200, "ok"));
        server.createContext("/fail", exchange -> answer(exchange, 500, "model not loaded"));
        server.createContext("/slow", exchange -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "late");
        });
        server.createContext("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no length, so no end
            byte[] chunk = new byte[8192];
            try (OutputStream out = exchange.getResponseBody()) {
                while (release.getCount() > 0) {
                    out.write(chunk); // ends with an IOException when the probe stops reading and closes
                }
            }
        });
        server.createContext("/stalled-body", exchange -> {
            exchange.sendResponseHeaders(200, 100);
            OutputStream out = exchange.getResponseBody();
            out.write("only ten b".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitRelease();
            out.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /**
     * {@code http://127.0.0.1:<port>/} of a server that reads each request and writes {@code reply}
     * as it is (nothing, part of a status line, a header no server should send), then keeps the
     * connection open until the test is over.
     */
    public String raw(String reply) {
        ServerSocket socket;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rawSockets.add(socket);
        executor.submit(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    executor.submit(() -> {
                        try (connection) {
                            connection.getInputStream().read(new byte[8192]);
                            connection.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
                            connection.getOutputStream().flush();
                            awaitRelease();
                        } catch (IOException ignored) {
                            // the probe gave up and closed: what the test expects
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return "http://127.0.0.1:" + socket.getLocalPort() + "/";
    }

    private void awaitRelease() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A URL on 127.0.0.1 where nothing listens: the port was free a moment ago and is closed again. */
    public static String closedPortUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/predict";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        release.countDown();
        for (ServerSocket socket : rawSockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a test server: nothing to do
            }
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
