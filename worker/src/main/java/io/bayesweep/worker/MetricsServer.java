package io.bayesweep.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves {@code GET /q/metrics} (Prometheus text format) and {@code GET /q/health/live} with the JDK's HTTP
 * server: the worker is a plain Java process, and two read-only endpoints do not call for a web framework.
 * The paths are the orchestrator's (Quarkus) ones, so that scrape and probe configs look alike.
 */
final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    static final String METRICS_PATH = "/q/metrics";
    static final String LIVE_PATH = "/q/health/live";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final String host;

    private MetricsServer(HttpServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * @throws IOException when the host does not resolve or the port cannot be bound (in use, not allowed)
     */
    static MetricsServer start(String host, int port, Supplier<String> metrics) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException(host);
        }
        HttpServer server = HttpServer.create(address, 0);
        server.createContext(METRICS_PATH, exchange -> respond(exchange, METRICS_PATH, PROMETHEUS_TEXT, metrics));
        server.createContext(LIVE_PATH, exchange -> respond(exchange, LIVE_PATH, "text/plain; charset=utf-8", () -> "UP"));
        // Handlers run on the server's own thread: scrapes are rare and quick, and need no pool.
        server.start();
        return new MetricsServer(server, host);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String metricsUrl() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + METRICS_PATH;
    }

    private static void respond(HttpExchange exchange, String path, String contentType, Supplier<String> body)
            throws IOException {
        try (exchange) {
            // a context matches every path under it; only the exact one is served
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (!head && !exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes;
            try {
                bytes = body.get().getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                LOG.warn("cannot answer {}: {}", path, e.toString(), e);
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
