package io.ghostrooms.server.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * /metrics on its own port (METRICS_PORT), for operators who keep scrapes off the public port. It
 * listens on loopback only unless METRICS_PUBLIC=true: another host cannot even connect. The JDK's
 * own HTTP server on one thread: a scrape every few seconds needs nothing more.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "metrics-http");
        t.setDaemon(true);
        return t;
    });

    public MetricsServer(int port, boolean reachableFromAnywhere, Metrics metrics) throws IOException {
        InetSocketAddress at = reachableFromAnywhere ? new InetSocketAddress(port)
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        this.server = HttpServer.create(at, 16);
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", Metrics.CONTENT_TYPE);
                boolean head = "HEAD".equals(exchange.getRequestMethod());
                exchange.sendResponseHeaders(200, head ? -1 : body.length);
                if (!head) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
        server.setExecutor(thread);
    }

    public void start() {
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
