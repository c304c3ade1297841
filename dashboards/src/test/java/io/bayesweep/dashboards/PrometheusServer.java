package io.bayesweep.dashboards;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus ({@code /usr/bin/prometheus}, Debian's 2.42 here) on 127.0.0.1 and a free port, for tests:
 * the dashboards module checks that every PromQL expression parses with it, and the orchestrator's end-to-end test
 * lets it scrape the live services. Storage and log go under the given work folder (under target/).
 *
 * <pre>{@code
 * try (PrometheusServer prometheus = PrometheusServer.start(configFile, Path.of("target/prometheus"))) {
 *     String json = prometheus.query("up");   // the /api/v1/query answer, whatever its HTTP status
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path log;
    private final URI baseUri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread shutdownHook;

    private PrometheusServer(Process process, Path log, URI baseUri) {
        this.process = process;
        this.log = log;
        this.baseUri = baseUri;
        // A test run killed half-way must not leave a Prometheus behind.
        this.shutdownHook = new Thread(process::destroy, "prometheus-server-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts Prometheus with {@code configFile} (relative paths in it, such as rule_files, resolve against the
     * file's folder) and waits until it is ready. {@code workDir} is created if needed; each call uses a fresh
     * storage folder inside it.
     */
    public static PrometheusServer start(Path configFile, Path workDir) {
        Path binary = Tools.require("prometheus", Tools.PROMETHEUS_HINT);
        IOException lastFailure = null;
        String lastLog = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                Files.createDirectories(workDir);
                Path run = Files.createTempDirectory(workDir.toAbsolutePath(), "prometheus-");
                Path log = run.resolve("prometheus.log");
                int port = freePort();
                List<String> command = new ArrayList<>(List.of(binary.toString(),
                        "--config.file=" + configFile.toAbsolutePath(),
                        "--storage.tsdb.path=" + run.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--storage.tsdb.retention.time=1d",
                        "--log.level=warn"));
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                PrometheusServer server = new PrometheusServer(process, log, URI.create("http://127.0.0.1:" + port));
                if (server.awaitReady()) {
                    return server;
                }
                lastLog = server.log();
                server.close();
                // The port may have been taken between freePort() and the bind: try another one.
                if (!lastLog.contains("address already in use")) {
                    break;
                }
            } catch (IOException e) {
                lastFailure = e;
            }
        }
        throw new AssertionError("Prometheus (" + binary + ") did not become ready with " + configFile + ":\n"
                + lastLog, lastFailure);
    }

    /** Starts Prometheus with a configuration that scrapes nothing: enough to parse and evaluate PromQL. */
    public static PrometheusServer startEmpty(Path workDir) {
        try {
            Files.createDirectories(workDir);
            Path config = workDir.resolve("prometheus-empty.yml");
            Files.writeString(config, "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\n");
            return start(config, workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a configuration for tests into {@code dir}: every job scrapes its targets ({@code host:port}) on
     * {@code /q/metrics} every {@code interval}, which is also the rule evaluation interval, and loads
     * {@code ruleFiles}. Use the production job names (bayesweep-orchestrator, bayesweep-worker) so that the
     * dashboards' and rules' {@code job} selectors match.
     */
    public static Path writeConfig(Path dir, Duration interval, Map<String, List<String>> targetsByJob,
                                   List<Path> ruleFiles) {
        StringBuilder yaml = new StringBuilder();
        String seconds = interval.toSeconds() + "s";
        yaml.append("global:\n  scrape_interval: ").append(seconds).append("\n  evaluation_interval: ")
                .append(seconds).append("\nrule_files:\n");
        ruleFiles.forEach(f -> yaml.append("  - '").append(f.toAbsolutePath()).append("'\n"));
        yaml.append("scrape_configs:\n");
        targetsByJob.forEach((job, targets) -> {
            yaml.append("  - job_name: '").append(job).append("'\n    metrics_path: /q/metrics\n")
                    .append("    static_configs:\n      - targets: [");
            yaml.append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList())).append("]\n");
        });
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("prometheus-test.yml"), yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUri() {
        return baseUri;
    }

    public int port() {
        return baseUri.getPort();
    }

    /**
     * An instant query at the current time: the JSON body of {@code /api/v1/query}, whatever the HTTP status
     * (a parse error is HTTP 400 with {@code "status":"error","errorType":"bad_data"}).
     */
    public String query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body();
    }

    /** A GET on the Prometheus HTTP API, e.g. {@code get("/api/v1/targets")}. */
    public HttpResponse<String> get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30))
                .GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri() + " failed; Prometheus log:\n" + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** What Prometheus logged so far (warnings and errors). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    /** True once Prometheus answers /-/ready; false when it exited first or did not answer in time. */
    private boolean awaitReady() {
        try {
            Awaitility.await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || isReady());
        } catch (ConditionTimeoutException e) {
            return false;
        }
        return process.isAlive();
    }

    private boolean isReady() throws InterruptedException {
        try {
            HttpRequest ready = HttpRequest.newBuilder(baseUri.resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false; // not listening yet
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
