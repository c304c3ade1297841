package io.bayesweep.orchestrator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayesweep.dashboards.DashboardQueries;
import io.bayesweep.dashboards.ObservabilityFiles;
import io.bayesweep.dashboards.PrometheusServer;
import io.bayesweep.dashboards.PromqlCheck;
import io.bayesweep.detect.EvalPoint;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.Topics;
import io.bayesweep.model.FineTuner;
import io.bayesweep.orchestrator.testing.KafkaBrokerResource;
import io.bayesweep.orchestrator.testing.KafkaTestClient;
import io.bayesweep.orchestrator.testing.PostgresDatabaseResource;
import io.bayesweep.orchestrator.testing.Traces;
import io.bayesweep.orchestrator.testing.TrialRequests;
import io.bayesweep.worker.MetricsConfig;
import io.bayesweep.worker.Worker;
import io.bayesweep.worker.WorkerConfig;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.bayesweep.orchestrator.e2e.PipelineEndToEndTest.get;
import static io.bayesweep.orchestrator.e2e.PipelineEndToEndTest.sweep;
import static io.bayesweep.orchestrator.testing.SweepRequests.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5's acceptance on the real things: a real Prometheus scrapes the real orchestrator and a real worker (which
 * really fine-tunes one trial) and evaluates the real alert rules. Two more trials are played through the real
 * pipeline from recorded traces (the test publishes their lifecycle events and StepMetrics on Kafka as a worker
 * would), so that one of them deterministically ends inside a corruption window and one stays clean.
 * Every PromQL expression of the dashboards then returns data, and CorruptionStageDetected fires for the corrupted
 * trial and not for the clean one; the detector's alert event is on {@code bayesweep.alerts} as well.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ObservabilityEndToEndTest {
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "bayesweep.artifacts.dir")
    Path artifacts;

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void prometheusSeesEveryDashboardSeriesAndFiresTheCorruptionAlertOnlyForTheCorruptedTrial() throws Exception {
        // Two trials whose worker this test plays, from recorded traces: published before the real worker's group
        // exists, and skipped by it.
        String replayed = submit(sweep("obs-replayed", "[0, 1.0]", 1000, 10));
        String corrupted = replayed + "-t000";
        String clean = replayed + "-t001";
        await().atMost(PATIENCE).until(() -> get("/api/sweeps/" + replayed + "/trials")
                .getList("requestedAt").stream().allMatch(at -> at != null));
        String group = "obs-" + UUID.randomUUID();
        TrialRequests.skipPublishedBefore(bootstrapServers, group);

        // A real worker, serving its metrics on a free port, really trains a short trial.
        Files.createDirectories(artifacts);
        Worker worker = new Worker(new WorkerConfig(bootstrapServers, "obs-w1", group, artifacts, 3,
                Duration.ofSeconds(6), new MetricsConfig("127.0.0.1", 0, Duration.ofMinutes(10))),
                new FineTuner()).start();
        running.add(worker);
        // Long enough to be still training while Prometheus is asked (the test cancels it at the end): the series of
        // a finished trial go after a grace period, 2 s in the tests. No @TestProfile for a longer one: a Quarkus
        // restart would load libtorch in a second class loader, which the JVM refuses.
        String trained = submit(sweep("obs-trained", "[1.0]", 5000, 3));

        KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
        running.add(kafka);
        playWorker(kafka, replayed, corrupted, "early-stop-01.csv");
        playWorker(kafka, replayed, clean, "clean-plateau-01.csv");

        ObservabilityFiles files = ObservabilityFiles.locate();
        Path work = Path.of("target/prometheus-e2e-" + UUID.randomUUID());
        Map<String, List<String>> jobs = Map.of(
                "bayesweep-orchestrator", List.of("127.0.0.1:" + RestAssured.port),
                // The second worker target answers nothing, as a crashed worker would: up 0 for WorkerDown.
                "bayesweep-worker", List.of("127.0.0.1:" + worker.metricsPort().orElseThrow(),
                        "127.0.0.1:" + closedPort()));
        PrometheusServer prometheus = PrometheusServer.start(
                PrometheusServer.writeConfig(work, Duration.ofSeconds(1), jobs, List.of(files.rulesFile())), work);
        running.add(prometheus);

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() ->
                get("/api/trials/" + trained + "-t000").getInt("step") >= 9);
        await().atMost(PATIENCE).until(() -> get("/api/trials/" + corrupted + "/detection").getString("state")
                .equals("CORRUPTED"));
        await().atMost(PATIENCE).until(() -> get("/api/trials/" + clean).getInt("step") == 800);
        assertThat(get("/api/trials/" + clean + "/detection").getList("windows")).isEmpty();

        // Every PromQL expression of the three dashboards returns data, for the trial the worker trained or for the
        // replayed corrupted one: some panels show only a trial in a corruption window ("== 1") or still running
        // (seconds since progress), others only a trial a worker trains (the worker's own series).
        DashboardQueries queries = new DashboardQueries(files);
        List<DashboardQueries.Query> forTrained = queries.dashboardPromql(
                Map.of("sweep", trained, "trial", trained + "-t000", "worker", "obs-w1"));
        List<DashboardQueries.Query> forCorrupted = queries.dashboardPromql(
                Map.of("sweep", replayed, "trial", corrupted, "worker", "obs-w1"));
        assertThat(forTrained).hasSizeGreaterThan(10).hasSameSizeAs(forCorrupted);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> withoutData = new ArrayList<>();
            for (int i = 0; i < forTrained.size(); i++) {
                List<String> trainedProblems = PromqlCheck.errorsOrEmpty(prometheus, List.of(forTrained.get(i)));
                if (!trainedProblems.isEmpty()
                        && !PromqlCheck.errorsOrEmpty(prometheus, List.of(forCorrupted.get(i))).isEmpty()) {
                    withoutData.addAll(trainedProblems);
                }
            }
            assertThat(withoutData).as("the orchestrator exports:%n%s", exported(trained)).isEmpty();
        });

        // The corruption alert fires for the corrupted trial, with its labels and a link to its dashboard ...
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(firingAlerts(prometheus, "CorruptionStageDetected")).anySatisfy(labels -> {
                    assertThat(labels.path("sweep").asText()).isEqualTo(replayed);
                    assertThat(labels.path("trial").asText()).isEqualTo(corrupted);
                }));
        // ... and never for the clean trial, whose gauge Prometheus has been reading as 0 all along.
        assertThat(result(prometheus, "bayesweep_corruption_active{trial=\"" + clean + "\"}"))
                .singleElement().satisfies(s -> assertThat(s.path("value").get(1).asText()).isEqualTo("0"));
        assertThat(result(prometheus, "max_over_time(bayesweep_corruption_active{trial=\"" + clean + "\"}[10m])"))
                .singleElement().satisfies(s -> assertThat(s.path("value").get(1).asText()).isEqualTo("0"));
        assertThat(firingAlerts(prometheus, "CorruptionStageDetected"))
                .noneSatisfy(labels -> assertThat(labels.path("trial").asText()).isEqualTo(clean));
        assertThat(firingOrPending(prometheus, "WorkerDown")).isNotEmpty();

        given().post("/api/sweeps/" + trained + "/cancel").then().statusCode(200);

        // The same detection is an event on bayesweep.alerts for any Kafka consumer.
        assertThat(kafka.read(Topics.ALERTS, r -> corrupted.equals(r.key()), 1, Duration.ofSeconds(30)))
                .singleElement().satisfies(r -> assertThat(r.value()).contains("\"type\":\"ENTERED\"", "\"onset\":510"));
    }

    /** Publishes what a worker would for a trial: STARTED, then one StepMetrics per point of the trace. */
    private static void playWorker(KafkaTestClient kafka, String sweepId, String trialId, String trace) {
        List<EvalPoint> points = Traces.read(trace);
        kafka.sendJson(Topics.TRIAL_EVENTS, trialId,
                TrialEvent.of(TrialEvent.Type.STARTED, sweepId, trialId, 1, 0, 1000, "recorded", null));
        for (EvalPoint p : points) {
            kafka.sendJson(Topics.METRICS, trialId, Traces.stepMetrics(sweepId, trialId, 1, p, 1000));
        }
    }

    /** The orchestrator's series of one sweep, for failure messages. */
    private static String exported(String sweepId) {
        return given().get("/q/metrics").then().extract().asString().lines()
                .filter(line -> line.contains(sweepId)).collect(java.util.stream.Collectors.joining("\n"));
    }

    private static List<JsonNode> firingAlerts(PrometheusServer prometheus, String name) {
        return alerts(prometheus, name).stream().filter(a -> a.path("state").asText().equals("firing"))
                .map(a -> a.path("labels")).toList();
    }

    private static List<JsonNode> firingOrPending(PrometheusServer prometheus, String name) {
        return alerts(prometheus, name).stream().map(a -> a.path("labels")).toList();
    }

    private static List<JsonNode> alerts(PrometheusServer prometheus, String name) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode alert : json(prometheus.get("/api/v1/alerts").body()).path("data").path("alerts")) {
            if (alert.path("labels").path("alertname").asText().equals(name)) {
                found.add(alert);
            }
        }
        return found;
    }

    private static List<JsonNode> result(PrometheusServer prometheus, String promql) {
        List<JsonNode> series = new ArrayList<>();
        json(prometheus.query(promql)).path("data").path("result").forEach(series::add);
        return series;
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
