package io.bayesweep.orchestrator.metrics;

import io.bayesweep.detect.EvalPoint;
import io.bayesweep.messages.StepMetrics;
import io.bayesweep.messages.Topics;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialEvent.Type;
import io.bayesweep.orchestrator.store.AlertRecord;
import io.bayesweep.orchestrator.store.StoredDetection;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.testing.KafkaBrokerResource;
import io.bayesweep.orchestrator.testing.KafkaTestClient;
import io.bayesweep.orchestrator.testing.PostgresDatabaseResource;
import io.bayesweep.orchestrator.testing.PrometheusScrape;
import io.bayesweep.orchestrator.testing.SweepRequests;
import io.bayesweep.orchestrator.testing.Traces;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;

import static io.bayesweep.orchestrator.testing.SweepRequests.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /q/metrics as Prometheus scrapes it, fed through the real broker into PostgreSQL: the per-trial gauges of
 * docs/observability.md, the sweeps' trial counts, the counters and the Kafka clients' metrics.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TrialMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    TrackerStore store;

    private KafkaTestClient kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    private void event(String sweepId, String trialId, Type type, long step, long totalSteps) {
        kafka.sendJson(Topics.TRIAL_EVENTS, trialId, TrialEvent.of(type, sweepId, trialId, 1, step, totalSteps,
                "test-worker", null));
    }

    private void point(String sweepId, String trialId, long step, Map<String, Double> values) {
        kafka.sendJson(Topics.METRICS, trialId, StepMetrics.of(sweepId, trialId, 1, step, 6, "test-worker", values));
    }

    private static Map<String, String> labels(String sweepId, String trialId) {
        return Map.of("sweep", sweepId, "trial", trialId);
    }

    private static OptionalDouble gauge(String name, String sweepId, String trialId) {
        return PrometheusScrape.scrape().value(name, labels(sweepId, trialId));
    }

    /** Waits until the gauge shows the value: the records before it on its partition have been applied too. */
    private static void awaitGauge(String name, String sweepId, String trialId, double value) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(gauge(name, sweepId, trialId)).hasValue(value));
    }

    private static List<PrometheusScrape.Sample> seriesOf(PrometheusScrape scrape, String trialId) {
        return scrape.samples().stream().filter(s -> trialId.equals(s.labels().get("trial"))).toList();
    }

    @Test
    void aRunningTrialExportsItsLatestValuesLabelledWithSweepAndTrial() {
        String sweep = submit(SweepRequests.THREE_TRIALS);
        String running = sweep + "-t000";
        String early = sweep + "-t001";
        event(sweep, running, Type.STARTED, 0, 6);
        point(sweep, running, 3, Map.of("loss", 0.5, "fidelity", 0.61, "noise", 0.2, "diversity", 0.3, "kl", 0.01));
        point(sweep, running, 6, Map.of("loss", 0.25, "fidelity", 0.7));
        // Points before the trial's STARTED was applied (another topic): tracked, not running.
        point(sweep, early, 3, Map.of("loss", 0.9));

        awaitGauge("bayesweep_trial_step", sweep, running, 6);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(gauge("bayesweep_trial_running", sweep, running)).hasValue(1));
        awaitGauge("bayesweep_trial_loss", sweep, early, 0.9);
        PrometheusScrape scrape = PrometheusScrape.scrape();
        Map<String, String> t0 = labels(sweep, running);
        assertThat(scrape.value("bayesweep_trial_total_steps", t0)).hasValue(6);
        assertThat(scrape.value("bayesweep_trial_fidelity", t0)).hasValue(0.7);
        assertThat(scrape.value("bayesweep_trial_loss", t0)).hasValue(0.25);
        assertThat(scrape.value("bayesweep_trial_noise", t0)).as("its latest value, from step 3").hasValue(0.2);
        assertThat(scrape.value("bayesweep_trial_diversity", t0)).hasValue(0.3);
        assertThat(scrape.value("bayesweep_trial_kl", t0)).hasValue(0.01);
        assertThat(scrape.value("bayesweep_trial_seconds_since_progress", t0).orElseThrow())
                .isBetween(0.0, WAIT.toSeconds() * 2.0);
        assertThat(seriesOf(scrape, running)).allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("sweep", "trial"))
                .extracting(PrometheusScrape.Sample::name).containsExactlyInAnyOrder("bayesweep_trial_step",
                        "bayesweep_trial_total_steps", "bayesweep_trial_fidelity", "bayesweep_trial_noise",
                        "bayesweep_trial_diversity", "bayesweep_trial_loss", "bayesweep_trial_kl",
                        "bayesweep_trial_running", "bayesweep_trial_seconds_since_progress",
                        "bayesweep_corruption_active", "bayesweep_corruption_state");

        Map<String, String> t1 = labels(sweep, early);
        assertThat(scrape.value("bayesweep_trial_running", t1)).hasValue(0);
        assertThat(scrape.value("bayesweep_trial_step", t1)).hasValue(3);
        assertThat(scrape.value("bayesweep_trial_fidelity", t1)).as("never reported").isEmpty();
        assertThat(scrape.value("bayesweep_trial_seconds_since_progress", t1)).as("not running").isEmpty();
        assertThat(seriesOf(scrape, sweep + "-t002")).as("a queued trial").isEmpty();

        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusScrape counts = PrometheusScrape.scrape();
            assertThat(counts.value("bayesweep_trials", Map.of("sweep", sweep, "state", "RUNNING"))).hasValue(1);
            assertThat(counts.value("bayesweep_trials", Map.of("sweep", sweep, "state", "PENDING"))).hasValue(2);
            assertThat(counts.find("bayesweep_trials", Map.of("sweep", sweep))).hasSize(7)
                    .allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("sweep", "state"));
        });
    }

    @Test
    void theCorruptionGaugesFollowTheDetectorThroughADip() {
        String sweep = submit(SweepRequests.THREE_TRIALS);
        String dipTrial = sweep + "-t000";
        String cleanTrial = sweep + "-t001";
        List<EvalPoint> dip = Traces.read("dip-01.csv");
        List<EvalPoint> clean = Traces.read("clean-plateau-01.csv");
        event(sweep, dipTrial, Type.STARTED, 0, 800);
        event(sweep, cleanTrial, Type.STARTED, 0, 800);

        for (EvalPoint p : dip.stream().filter(p -> p.step() <= 240).toList()) {
            kafka.sendJson(Topics.METRICS, dipTrial, Traces.stepMetrics(sweep, dipTrial, 1, p, 800));
        }
        awaitGauge("bayesweep_trial_step", sweep, dipTrial, 240);
        PrometheusScrape open = PrometheusScrape.scrape();
        assertThat(open.value("bayesweep_corruption_state", labels(sweep, dipTrial))).hasValue(2);
        assertThat(open.value("bayesweep_corruption_active", labels(sweep, dipTrial))).hasValue(1);

        for (EvalPoint p : dip.stream().filter(p -> p.step() > 240).toList()) {
            kafka.sendJson(Topics.METRICS, dipTrial, Traces.stepMetrics(sweep, dipTrial, 1, p, 800));
        }
        for (EvalPoint p : clean) {
            kafka.sendJson(Topics.METRICS, cleanTrial, Traces.stepMetrics(sweep, cleanTrial, 1, p, 800));
        }
        awaitGauge("bayesweep_trial_step", sweep, dipTrial, 800);
        awaitGauge("bayesweep_trial_step", sweep, cleanTrial, clean.get(clean.size() - 1).step());
        PrometheusScrape closed = PrometheusScrape.scrape();
        StoredDetection dipVerdict = store.read(c -> store.detections().find(c, dipTrial)).orElseThrow();
        StoredDetection cleanVerdict = store.read(c -> store.detections().find(c, cleanTrial)).orElseThrow();
        assertThat(dipVerdict.state().name()).isIn("RECOVERING", "OVERFIT");
        assertThat(closed.value("bayesweep_corruption_state", labels(sweep, dipTrial)))
                .hasValue(TrialSeries.code(dipVerdict.state()));
        assertThat(closed.value("bayesweep_corruption_active", labels(sweep, dipTrial))).hasValue(0);
        assertThat(cleanVerdict.state().name()).isIn("HEALTHY", "IMPROVING");
        assertThat(closed.value("bayesweep_corruption_state", labels(sweep, cleanTrial)))
                .hasValue(TrialSeries.code(cleanVerdict.state()));
        assertThat(closed.value("bayesweep_corruption_active", labels(sweep, cleanTrial))).hasValue(0);
        assertThat(closed.value("bayesweep_trial_fidelity", labels(sweep, dipTrial)))
                .hasValue(dip.get(dip.size() - 1).fidelity());
    }

    @Test
    void aFinishedTrialLosesItsSeriesAfterTheGracePeriodAndAFinishedSweepItsCounts() {
        String sweep = submit(SweepRequests.THREE_TRIALS);
        String done = sweep + "-t000";
        String stillRunning = sweep + "-t001";
        for (String trial : List.of(done, stillRunning)) {
            event(sweep, trial, Type.STARTED, 0, 6);
            point(sweep, trial, 3, Map.of("loss", 0.5, "fidelity", 0.6));
        }
        awaitGauge("bayesweep_trial_step", sweep, done, 3);
        awaitGauge("bayesweep_trial_step", sweep, stillRunning, 3);

        event(sweep, done, Type.COMPLETED, 6, 6);
        await().atMost(WAIT).until(() -> seriesOf(PrometheusScrape.scrape(), done).isEmpty());
        assertThat(gauge("bayesweep_trial_running", sweep, stillRunning)).hasValue(1);
        assertThat(PrometheusScrape.scrape().value("bayesweep_trials", Map.of("sweep", sweep, "state", "COMPLETED")))
                .hasValue(1);

        event(sweep, stillRunning, Type.FAILED, 3, 6);
        given().when().post("/api/sweeps/{id}/cancel", sweep).then().statusCode(200); // the queued t002
        await().atMost(WAIT).until(() -> {
            PrometheusScrape scrape = PrometheusScrape.scrape();
            return seriesOf(scrape, stillRunning).isEmpty() && scrape.find("bayesweep_trials", Map.of("sweep", sweep))
                    .isEmpty();
        });
        given().when().get("/api/sweeps/{id}", sweep).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("CANCELLED"));
    }

    @Test
    void theCountersCountNewPointsRejectedRecordsAndPublishedAlerts() {
        PrometheusScrape before = PrometheusScrape.scrape();
        String sweep = submit(SweepRequests.THREE_TRIALS);
        String trial = sweep + "-t000";
        String dipTrial = sweep + "-t001";
        point(sweep, trial, 3, Map.of("loss", 0.5));
        point(sweep, trial, 3, Map.of("loss", 0.5)); // a replay
        point(sweep, trial, 6, Map.of("loss", 0.4));
        kafka.send(Topics.METRICS, "poison-" + UUID.randomUUID(), "{not json".getBytes(StandardCharsets.UTF_8));
        point("sw-ffffffff", "sw-ffffffff-t" + UUID.randomUUID(), 1, Map.of("loss", 1.0));
        List<EvalPoint> dip = Traces.read("dip-01.csv");
        for (EvalPoint p : dip) {
            kafka.sendJson(Topics.METRICS, dipTrial, Traces.stepMetrics(sweep, dipTrial, 1, p, 800));
        }

        awaitGauge("bayesweep_trial_step", sweep, trial, 6);
        awaitGauge("bayesweep_trial_step", sweep, dipTrial, 800);
        await().atMost(WAIT).until(() -> {
            List<AlertRecord> alerts = store.read(c -> store.detections().alertsOf(c, dipTrial));
            return alerts.size() == 2 && alerts.stream().allMatch(a -> a.publishedAt() != null);
        });
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusScrape after = PrometheusScrape.scrape();
            assertThat(delta(before, after, "bayesweep_metrics_ingested_total", Map.of())).isEqualTo(2 + dip.size());
            assertThat(delta(before, after, "bayesweep_metrics_rejected_total", Map.of("reason", "malformed")))
                    .isEqualTo(1);
            assertThat(delta(before, after, "bayesweep_metrics_rejected_total", Map.of("reason", "unknown_trial")))
                    .isEqualTo(1);
            assertThat(delta(before, after, "bayesweep_metrics_rejected_total", Map.of("reason", "error"))).isZero();
            // At least once: a resend by the relay would be acknowledged, and counted, again.
            assertThat(delta(before, after, "bayesweep_alerts_published_total", Map.of())).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void theKafkaClientsExportTheirMetrics() {
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusScrape scrape = PrometheusScrape.scrape();
            assertThat(scrape.find("kafka_consumer_fetch_manager_records_lag_max", Map.of())).isNotEmpty();
            assertThat(scrape.samples()).anySatisfy(s -> assertThat(s.name()).startsWith("kafka_producer_"));
        });
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name,
                                Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}
