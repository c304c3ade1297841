package io.bayesweep.orchestrator.kafka;

import io.bayesweep.messages.ControlCommand;
import io.bayesweep.messages.Json;
import io.bayesweep.messages.StepMetrics;
import io.bayesweep.messages.Topics;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialEvent.Type;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.testing.KafkaBrokerResource;
import io.bayesweep.orchestrator.testing.KafkaTestClient;
import io.bayesweep.orchestrator.testing.PostgresDatabaseResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.bayesweep.orchestrator.testing.SweepRequests.THREE_TRIALS;
import static io.bayesweep.orchestrator.testing.SweepRequests.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** What workers report, end to end through the real broker into PostgreSQL. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TrialTrackingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

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

    private void report(String sweepId, String trialId, Type type, int attempt, long step, String reason) {
        kafka.sendJson(Topics.TRIAL_EVENTS, trialId, TrialEvent.of(type, sweepId, trialId, attempt, step, 6,
                "test-worker", reason));
    }

    private void metrics(String sweepId, String trialId, long step, Map<String, Double> values) {
        kafka.sendJson(Topics.METRICS, trialId, StepMetrics.of(sweepId, trialId, 1, step, 6, "test-worker", values));
    }

    private int stored(String trialId, boolean values) {
        return store.read(c -> values ? store.metrics().countValues(c, trialId) : store.metrics().countSteps(c, trialId));
    }

    private static void awaitState(String path, String state) {
        await().atMost(WAIT).untilAsserted(() ->
                given().when().get(path).then().statusCode(200).body("state", equalTo(state)));
    }

    @Test
    void aReplayedStepIsStoredOnce() {
        String sweep = submit(THREE_TRIALS);
        String trial = sweep + "-t000";
        metrics(sweep, trial, 3, Map.of("loss", 0.5, "fidelity", 0.61));
        metrics(sweep, trial, 3, Map.of("loss", 0.5, "fidelity", 0.61)); // the replay after a resume
        metrics(sweep, trial, 6, Map.of("loss", 0.25, "fidelity", 0.7));
        // Same key, same partition, in order: once step 6 is in, the replay has been processed.
        await().atMost(WAIT).until(() -> stored(trial, false) == 2);
        assertThat(stored(trial, false)).isEqualTo(2);
        assertThat(stored(trial, true)).isEqualTo(4);

        given().when().get("/api/trials/{id}/metrics", trial)
                .then().statusCode(200)
                .body("$", hasSize(2))
                .body("[0].step", equalTo(3))
                .body("[0].attempt", equalTo(1))
                .body("[0].metrics.loss", equalTo(0.5f))
                .body("[1].step", equalTo(6));
        given().when().get("/api/trials/{id}", trial)
                .then().statusCode(200)
                .body("step", equalTo(6))
                .body("totalSteps", equalTo(6))
                .body("metrics.fidelity", equalTo(0.7f));
    }

    @Test
    void aSweepCompletesWhenEveryTrialReportedItsEnd() {
        String sweep = submit(THREE_TRIALS);
        for (int i = 0; i < 3; i++) {
            String trial = sweep + "-t00" + i;
            report(sweep, trial, Type.STARTED, 1, 0, null);
            report(sweep, trial, Type.CHECKPOINTED, 1, 3, null);
            report(sweep, trial, i == 2 ? Type.FAILED : Type.COMPLETED, 1, 6, i == 2 ? "diverged" : null);
        }
        awaitState("/api/sweeps/" + sweep, "COMPLETED");
        given().when().get("/api/sweeps/{id}", sweep)
                .then().body("trialsByState.COMPLETED", equalTo(2))
                .body("trialsByState.FAILED", equalTo(1))
                .body("finishedAt", org.hamcrest.Matchers.notNullValue());
        given().when().get("/api/trials/{id}", sweep + "-t002")
                .then().body("state", equalTo("FAILED")).body("reason", equalTo("diverged"))
                .body("worker", equalTo("test-worker")).body("attempt", equalTo(1));
        given().when().post("/api/sweeps/{id}/cancel", sweep).then().statusCode(409)
                .body("errors[0].message", org.hamcrest.Matchers.containsString("COMPLETED"));
    }

    @Test
    void cancelStopsRunningTrialsThroughTheirWorkers() {
        String sweep = submit(THREE_TRIALS);
        String running = sweep + "-t000";
        report(sweep, running, Type.STARTED, 1, 0, null);
        awaitState("/api/trials/" + running, "RUNNING");

        given().when().post("/api/sweeps/{id}/cancel", sweep)
                .then().statusCode(200)
                .body("state", equalTo("RUNNING"))
                .body("cancelRequested", equalTo(true))
                .body("trialsByState.CANCELLED", equalTo(2))
                .body("trialsByState.RUNNING", equalTo(1));
        given().when().get("/api/trials/{id}", sweep + "-t001").then().body("state", equalTo("CANCELLED"));

        List<ConsumerRecord<String, String>> stops = kafka.read(Topics.CONTROL, r -> running.equals(r.key()), 1, WAIT);
        assertThat(stops).hasSize(1);
        ControlCommand stop = Json.fromBytes(stops.get(0).value().getBytes(StandardCharsets.UTF_8), ControlCommand.class);
        assertThat(stop.action()).isEqualTo(ControlCommand.Action.STOP);
        assertThat(stop.sweepId()).isEqualTo(sweep);

        report(sweep, running, Type.CANCELLED, 1, 2, "stopped by request");
        awaitState("/api/sweeps/" + sweep, "CANCELLED");
        given().when().get("/api/trials/{id}", running).then().body("state", equalTo("CANCELLED"));
    }

    @Test
    void aMalformedRecordIsDeadLetteredAndConsumptionGoesOn() {
        String sweep = submit(THREE_TRIALS);
        String trial = sweep + "-t001";
        String poisonKey = "poison-" + UUID.randomUUID();
        kafka.send(Topics.METRICS, poisonKey, "{not json".getBytes(StandardCharsets.UTF_8));
        String unknownKey = "sw-ffffffff-t" + UUID.randomUUID();
        metrics("sw-ffffffff", unknownKey, 1, Map.of("loss", 1.0));
        metrics(sweep, trial, 3, Map.of("loss", 0.4));

        List<ConsumerRecord<String, String>> dead = kafka.read(TopicPlan.METRICS_DLQ,
                r -> poisonKey.equals(r.key()) || unknownKey.equals(r.key()), 2, WAIT);
        assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(poisonKey, unknownKey);
        ConsumerRecord<String, String> poison = dead.stream().filter(r -> poisonKey.equals(r.key())).findFirst()
                .orElseThrow();
        assertThat(poison.value()).isEqualTo("{not json");
        assertThat(poison.headers().lastHeader("dead-letter-reason")).isNotNull();
        assertThat(new String(poison.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith("StepMetrics:");
        ConsumerRecord<String, String> unknown = dead.stream().filter(r -> unknownKey.equals(r.key())).findFirst()
                .orElseThrow();
        assertThat(new String(unknown.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("unknown trial " + unknownKey);
        await().atMost(WAIT).until(() -> stored(trial, false) == 1);
    }

    @Test
    void aMalformedTrialEventIsDeadLetteredToo() {
        String key = "poison-" + UUID.randomUUID();
        kafka.send(Topics.TRIAL_EVENTS, key, "[]".getBytes(StandardCharsets.UTF_8));
        assertThat(kafka.read(TopicPlan.TRIAL_EVENTS_DLQ, r -> key.equals(r.key()), 1, WAIT)).hasSize(1);
    }
}
