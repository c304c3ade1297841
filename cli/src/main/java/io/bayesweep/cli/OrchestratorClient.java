package io.bayesweep.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.bayesweep.messages.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The orchestrator's REST API as the cli needs it. Every failure becomes a {@link CliException}
 * whose message is the one line the user sees.
 */
final class OrchestratorClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    // HttpClient does not expose the reason phrase; an empty error body still deserves words.
    private static final Map<Integer, String> STATUS_TEXT = Map.of(
            400, "bad request", 401, "unauthorized", 403, "forbidden", 404, "not found",
            405, "method not allowed", 409, "conflict", 500, "internal server error",
            502, "bad gateway", 503, "service unavailable", 504, "gateway timeout");

    private final String baseUrl;
    private final HttpClient http;

    OrchestratorClient(String url) {
        String trimmed = url == null ? "" : url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = URI.create(trimmed);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("expected http://HOST:PORT");
            }
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid orchestrator URL '" + url + "': " + e.getMessage());
        }
        this.baseUrl = trimmed;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Problems the orchestrator found in a submitted sweep (HTTP 400 with an {@code errors} list). */
    static final class SweepRejectedException extends RuntimeException {
        private final List<Problem> problems;

        SweepRejectedException(List<Problem> problems) {
            super(problems.size() + " problems");
            this.problems = problems;
        }

        List<Problem> problems() {
            return problems;
        }
    }

    record Problem(String path, String message) {
    }

    SweepView submit(String yaml, Long seed) {
        String path = "/api/sweeps" + (seed == null ? "" : "?seed=" + seed);
        HttpRequest request = request(path)
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() == 400) {
            List<Problem> problems = problems(response.body());
            if (!problems.isEmpty()) {
                throw new SweepRejectedException(problems);
            }
        }
        return read(response, new TypeReference<SweepView>() { });
    }

    List<SweepView> sweeps() {
        return get("/api/sweeps", new TypeReference<List<SweepView>>() { });
    }

    SweepView sweep(String id) {
        return get("/api/sweeps/" + segment(id), new TypeReference<SweepView>() { });
    }

    List<TrialView> trials(String sweepId) {
        return get("/api/sweeps/" + segment(sweepId) + "/trials", new TypeReference<List<TrialView>>() { });
    }

    /** Every stored eval step of a trial, by step. */
    List<MetricStepView> metrics(String trialId) {
        return get("/api/trials/" + segment(trialId) + "/metrics", new TypeReference<List<MetricStepView>>() { });
    }

    SweepView cancel(String sweepId) {
        HttpRequest request = request("/api/sweeps/" + segment(sweepId) + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return read(send(request), new TypeReference<SweepView>() { });
    }

    private <T> T get(String path, TypeReference<T> type) {
        return read(send(request(path).GET().build()), type);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", 130);
        }
    }

    static CliException unreachable(String url, IOException e) {
        return new CliException("cannot reach the orchestrator at " + url + " (" + why(e) + "); "
                + "start it with 'sweep server' or set --url/BAYESWEEP_URL");
    }

    // HttpClient nests the useful cause and often leaves the message null.
    private static String why(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private <T> T read(HttpResponse<String> response, TypeReference<T> type) {
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw new CliException(status + ": " + errorMessage(status, response.body()));
        }
        try {
            return Json.MAPPER.readValue(response.body(), type);
        } catch (IOException e) {
            throw new CliException("unexpected answer from " + response.uri() + ": " + firstLine(e.getMessage()));
        }
    }

    /** The message of an error body: {"error": "..."}, {"errors": [{path, message}]}, or its first line. */
    static String errorMessage(int status, String body) {
        if (body == null || body.isBlank()) {
            return STATUS_TEXT.getOrDefault(status, "(no error message)");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
            List<Problem> problems = problems(body);
            if (!problems.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (Problem p : problems) {
                    parts.add(p.path() == null || p.path().isBlank() ? p.message() : p.path() + ": " + p.message());
                }
                return String.join("; ", parts);
            }
        } catch (IOException notJson) {
            // fall through: show the body itself
        }
        String line = firstLine(body.trim());
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static List<Problem> problems(String body) {
        List<Problem> problems = new ArrayList<>();
        try {
            JsonNode errors = Json.MAPPER.readTree(body).path("errors");
            for (JsonNode e : errors) {
                if (e.isTextual()) {
                    problems.add(new Problem(null, e.asText()));
                } else {
                    problems.add(new Problem(e.path("path").asText(null), e.path("message").asText("")));
                }
            }
        } catch (IOException | RuntimeException notJson) {
            return List.of();
        }
        return problems;
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
