package io.bayesweep.worker;

import io.bayesweep.messages.ControlCommand;
import io.bayesweep.messages.Topics;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialRequested;
import io.bayesweep.model.FineTuner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A worker training for real against a real broker, scraped over HTTP as Prometheus would. */
class WorkerMetricsEndpointTest {
    private static final Map<String, String> WORKER = Map.of("worker", "w1");
    private static final Map<String, String> TRIAL = Map.of("sweep", "sw-m", "trial", "sw-m-t000", "worker", "w1");

    @TempDir
    Path artifacts;
    private KafkaTestSupport kafka;
    private List<KafkaTestSupport.Received<TrialEvent>> events;
    private Worker worker;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startBroker() throws Exception {
        kafka = new KafkaTestSupport();
        events = kafka.collect(Topics.TRIAL_EVENTS, TrialEvent.class);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (worker != null) {
            worker.close();
        }
        kafka.close();
    }

    @Test
    void servesTheTrialWhileItTrainsAndForgetsItAfterTheGrace() throws Exception {
        worker = new Worker(new WorkerConfig(kafka.broker.bootstrapServers(), "w1", "workers", artifacts, 3,
                Duration.ofSeconds(6), new MetricsConfig("127.0.0.1", 0, Duration.ofSeconds(1))), new FineTuner()).start();
        int port = worker.metricsPort().orElseThrow();

        HttpResponse<String> live = get(port, "/q/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("UP");
        HttpResponse<String> first = get(port, "/q/metrics");
        assertThat(first.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");

        // long enough to be scraped mid-training; stopped once seen
        kafka.send(Topics.TRIALS, "sw-m-t000", TrialRequested.of("sw-m", "sw-m-t000", 0, WorkerTest.tinyParams(2000, 3)));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            PrometheusText page = scrape(port);
            return page.value("bayesweep_worker_trial_step", TRIAL).orElse(0) >= 6
                    && page.value("bayesweep_worker_trial_fidelity", TRIAL).isPresent();
        });
        PrometheusText training = scrape(port);
        assertThat(training.value("bayesweep_worker_busy", WORKER)).hasValue(1);
        assertThat(training.value("bayesweep_worker_steps_per_second", WORKER).orElseThrow()).isPositive();
        assertThat(training.value("bayesweep_worker_step_duration_seconds_count", WORKER).orElseThrow())
                .isGreaterThanOrEqualTo(6);
        assertThat(training.named("bayesweep_worker_step_duration_seconds_bucket")).hasSizeGreaterThan(10);
        assertThat(training.value("bayesweep_worker_trial_loss", TRIAL).orElseThrow()).isFinite();
        for (String eval : List.of("fidelity", "noise", "diversity", "kl")) {
            assertThat(training.value("bayesweep_worker_trial_" + eval, TRIAL)).as(eval).isPresent();
        }
        // the Kafka clients' own metrics, one client_id each
        assertThat(training.named("kafka_consumer_fetch_manager_records_lag_max"))
                .anySatisfy(s -> assertThat(s.labels()).containsEntry("client_id", "w1").containsEntry("worker", "w1"));
        assertThat(training.named("kafka_consumer_coordinator_assigned_partitions"))
                .anySatisfy(s -> assertThat(s.labels()).containsEntry("client_id", "w1"));
        assertThat(training.named("kafka_producer_record_send_total"))
                .anySatisfy(s -> assertThat(s.labels()).containsEntry("client_id", "w1-producer"));
        assertThat(training.named("kafka_consumer_fetch_manager_fetch_total"))
                .anySatisfy(s -> assertThat(s.labels()).containsEntry("client_id", "w1-control"));
        assertThat(training.named("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(training.named("process_cpu_usage")).isNotEmpty();

        kafka.send(Topics.CONTROL, "sw-m-t000", ControlCommand.stop("sw-m", "sw-m-t000"));
        awaitEvent("sw-m-t000", TrialEvent.Type.CANCELLED);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> scrape(port).namesStartingWith("bayesweep_worker_trial_").isEmpty());
        PrometheusText after = scrape(port);
        assertThat(after.value("bayesweep_worker_busy", WORKER)).hasValue(0);
        assertThat(after.value("bayesweep_worker_steps_per_second", WORKER)).hasValue(0);
        assertThat(after.value("bayesweep_worker_trials_finished_total", WORKER)).hasValue(1);
        assertThat(after.value("bayesweep_worker_errors_total", WORKER)).hasValue(0);
        assertThat(after.value("bayesweep_worker_step_duration_seconds_count", WORKER).orElseThrow()).isPositive();

        // a failed attempt counts as an error
        Map<String, Object> bad = WorkerTest.tinyParams(3, 3);
        bad.put("kl_wieght", 0.1);
        kafka.send(Topics.TRIALS, "sw-m-t001", TrialRequested.of("sw-m", "sw-m-t001", 0, bad));
        awaitEvent("sw-m-t001", TrialEvent.Type.FAILED);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            PrometheusText page = scrape(port);
            assertThat(page.value("bayesweep_worker_errors_total", WORKER)).hasValue(1);
            assertThat(page.value("bayesweep_worker_trials_finished_total", WORKER)).hasValue(2);
        });

        worker.close();
        worker = null;
        assertThat(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString())).as("the server stops with the worker")
                .failsWithin(Duration.ofSeconds(30));
    }

    private PrometheusText scrape(int port) throws Exception {
        HttpResponse<String> response = get(port, "/q/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitEvent(String trialId, TrialEvent.Type type) {
        await().atMost(Duration.ofMinutes(3)).until(() -> events.stream()
                .anyMatch(e -> e.value().trialId().equals(trialId) && e.value().type() == type));
    }
}
