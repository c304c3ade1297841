package io.bayesweep.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-test HTTP server answering canned orchestrator JSON. Each "METHOD path" has a queue of
 * answers; the last one repeats, so a sweep can go RUNNING then COMPLETED.
 */
final class FakeOrchestrator implements AutoCloseable {
    record Answer(int status, String body) {
    }

    record Request(String method, String path, String query, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeOrchestrator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeOrchestrator on(String method, String path, int status, String... bodies) {
        Deque<Answer> queue = answers.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>());
        for (String body : bodies) {
            queue.add(new Answer(status, body));
        }
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery(),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        Answer answer;
        Deque<Answer> queue = answers.get(exchange.getRequestMethod() + " " + path);
        synchronized (this) {
            if (queue == null || queue.isEmpty()) {
                answer = new Answer(404, "{\"error\":\"no route " + path + "\"}");
            } else {
                answer = queue.size() > 1 ? queue.poll() : queue.peek();
            }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
