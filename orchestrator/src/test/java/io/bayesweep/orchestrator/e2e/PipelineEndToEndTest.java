package io.bayesweep.orchestrator.e2e;

import io.bayesweep.messages.Topics;
import io.bayesweep.model.FineTuner;
import io.bayesweep.orchestrator.testing.KafkaBrokerResource;
import io.bayesweep.orchestrator.testing.PostgresDatabaseResource;
import io.bayesweep.orchestrator.testing.TrialRequests;
import io.bayesweep.worker.Worker;
import io.bayesweep.worker.WorkerConfig;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.bayesweep.orchestrator.testing.SweepRequests.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline with nothing faked: the orchestrator over REST, a real Kafka broker, real
 * PostgreSQL, and workers that really fine-tune with the model module. Workers run in this JVM
 * (they train one at a time here, see TrialRunner) and share one artifact directory: the orchestrator's
 * (bayesweep.artifacts.dir), from which it serves the sample grids.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PipelineEndToEndTest {
    private static final Duration TRIAL_TIMEOUT = Duration.ofMinutes(4);
    private static FineTuner fineTuner;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "bayesweep.artifacts.dir")
    Path artifacts;

    private String group;
    private final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void freshWorkerGroup() throws Exception {
        synchronized (PipelineEndToEndTest.class) {
            if (fineTuner == null) {
                fineTuner = new FineTuner();
            }
        }
        Files.createDirectories(artifacts);
        group = "e2e-" + UUID.randomUUID();
        // Trial requests of other test classes (which run no workers) stay on the topic: this group starts after them.
        TrialRequests.skipPublishedBefore(bootstrapServers, group);
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(Worker::close);
        workers.clear();
    }

    @Test
    void aSweepTravelsFromSubmitThroughAWorkerIntoTheStoreExactlyOnce() throws Exception {
        startWorker("w1");
        String sweepId = submit(sweep("e2e-smoke", "[0, 1.0]", 6, 3));

        awaitSweepState(sweepId, "COMPLETED");
        JsonPath trials = get("/api/sweeps/" + sweepId + "/trials");
        assertThat(trials.getList("state")).containsExactly("COMPLETED", "COMPLETED");
        // Every stored point ran the trial's corruption-stage detector: its verdict is in the trial view.
        assertThat(trials.<String>getList("detection.detector")).containsOnly("v3");
        assertThat(trials.<Integer>getList("detection.points")).containsOnly(2);
        assertThat(trials.<String>getList("detection.state")).allSatisfy(state -> assertThat(state)
                .isIn("HEALTHY", "IMPROVING", "CORRUPTED", "RECOVERING", "OVERFIT"));
        for (String trialId : trials.<String>getList("id")) {
            assertThat(metricSteps(trialId)).containsExactly(3, 6);
            assertThat(get("/api/trials/" + trialId + "/detection").getString("state"))
                    .isEqualTo(get("/api/trials/" + trialId).getString("detection.state"));
            Map<String, Float> last = get("/api/trials/" + trialId + "/metrics").getMap("[1].metrics");
            assertThat(last).containsKeys("loss", "fidelity", "noise", "diversity", "memorization");
            // The worker's sample grid of each eval step is served by the orchestrator.
            assertThat(get("/api/trials/" + trialId + "/samples").getList("step", Integer.class)).containsExactly(3, 6);
            String latestUrl = get("/api/trials/" + trialId).getString("latestSampleUrl");
            assertThat(latestUrl).isEqualTo("/api/trials/" + trialId + "/samples/6.png");
            byte[] latest = given().get("/api/trials/" + trialId + "/samples/latest").then().statusCode(200)
                    .contentType("image/png").header("Bayesweep-Sample-Step", "6").extract().asByteArray();
            assertThat(ImageIO.read(new java.io.ByteArrayInputStream(latest))).isNotNull();
            assertThat(given().get(latestUrl).then().statusCode(200).extract().asByteArray()).isEqualTo(latest);
        }

        // The sweep command reads the same results through the real API.
        String results = sweepCommand("results", sweepId, "--format", "json");
        JsonPath json = JsonPath.from(results);
        assertThat(json.getList("trialId")).containsExactlyElementsOf(trials.getList("id"));
        assertThat(json.getList("state")).containsOnly("COMPLETED");
        assertThat(json.getMap("[0].params")).containsEntry("steps", 6);
        assertThat(json.getMap("[0].metrics")).containsKeys("fidelity", "noise");
        assertThat(json.getList("detection.state")).containsExactlyElementsOf(trials.getList("detection.state"));
        assertThat(sweepCommand("status", sweepId)).contains("COMPLETED").contains("2/2");

        // Replaying every metric record of the sweep (as after a consumer restart) adds nothing.
        int replayed = replayMetricRecords(sweepId);
        assertThat(replayed).isEqualTo(4);
        String firstTrial = trials.getString("id[0]");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> metricSteps(firstTrial).size() == 2);
    }

    @Test
    void aTrialOfAStoppedWorkerIsFinishedByAnotherFromItsCheckpointWithEveryStepStoredOnce() throws Exception {
        Worker first = startWorker("w1");
        String sweepId = submit(sweep("e2e-takeover", "[0.1]", 30, 3));
        String trialId = sweepId + "-t000";
        await().atMost(TRIAL_TIMEOUT).until(() -> get("/api/trials/" + trialId).getInt("step") >= 9);

        first.close();
        workers.remove(first);
        startWorker("w2");

        awaitSweepState(sweepId, "COMPLETED");
        JsonPath trial = get("/api/trials/" + trialId);
        assertThat(trial.getString("state")).isEqualTo("COMPLETED");
        assertThat(trial.getInt("attempt")).isEqualTo(2);
        assertThat(trial.getString("worker")).isEqualTo("w2");
        assertThat(metricSteps(trialId)).containsExactly(3, 6, 9, 12, 15, 18, 21, 24, 27, 30);
    }

    @Test
    void cancelStopsTheRunningTrialSkipsThePendingOneAndLeavesNothingHalfWritten() throws Exception {
        Worker worker = startWorker("w1");
        String sweepId = submit(sweep("e2e-cancel", "[0, 1.0]", 5000, 5));
        // One worker: whichever trial it takes first runs, the other waits.
        await().atMost(TRIAL_TIMEOUT).until(() -> get("/api/sweeps/" + sweepId + "/trials")
                .getList("step", Integer.class).stream().anyMatch(step -> step >= 10));
        JsonPath trials = get("/api/sweeps/" + sweepId + "/trials");
        boolean firstRuns = trials.getInt("step[0]") >= 10;
        String running = trials.getString(firstRuns ? "id[0]" : "id[1]");
        String pending = trials.getString(firstRuns ? "id[1]" : "id[0]");

        given().post("/api/sweeps/" + sweepId + "/cancel").then().statusCode(200);

        awaitSweepState(sweepId, "CANCELLED");
        assertThat(get("/api/trials/" + running).getString("state")).isEqualTo("CANCELLED");
        assertThat(get("/api/trials/" + pending).getString("state")).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.currentTrialId() == null);

        // Every stored point is whole, the pending trial never ran, and every picture on disk is complete.
        List<Map<String, Object>> points = get("/api/trials/" + running + "/metrics").getList("");
        assertThat(points).isNotEmpty().allSatisfy(p -> assertThat(metricNames(p))
                .contains("loss", "fidelity", "noise", "diversity", "memorization"));
        assertThat(metricSteps(pending)).isEmpty();
        assertThat(get("/api/trials/" + running).getInt("step")).isLessThan(5000);
        // The artifact directory is shared with the other tests: only this sweep's trials' folders.
        try (Stream<Path> files = Stream.of(running, pending).map(artifacts::resolve).filter(Files::isDirectory)
                .flatMap(PipelineEndToEndTest::walk)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).as("the running trial wrote grids").anyMatch(p -> p.toString().endsWith(".png"));
            assertThat(all).noneMatch(p -> p.toString().endsWith(".tmp"));
            for (Path png : all.stream().filter(p -> p.toString().endsWith(".png")).toList()) {
                assertThat(ImageIO.read(png.toFile())).as(png.toString()).isNotNull();
            }
        }
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the real `sweep` command in this JVM against this orchestrator; returns its standard output. */
    private String sweepCommand(String... args) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        var cli = io.bayesweep.cli.SweepCommand.newCommandLine();
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(err));
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                Stream.of("--url", "http://localhost:" + io.restassured.RestAssured.port)).toArray(String[]::new);
        int exit = cli.execute(all);
        assertThat(exit).as("sweep %s: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }

    private Worker startWorker(String id) {
        Worker worker = new Worker(new WorkerConfig(bootstrapServers, id, group, artifacts, 3, Duration.ofSeconds(6)),
                fineTuner).start();
        workers.add(worker);
        return worker;
    }

    /** A grid sweep over kl_weight on Bayesian conv layers, small enough to train in seconds. */
    static String sweep(String name, String klWeights, int steps, int evalEvery) {
        return """
                name: %s
                method: grid
                parameters:
                  kl_weight:
                    values: %s
                  bayesian_layers:
                    value: [conv]
                  steps:
                    value: %d
                  eval_every:
                    value: %d
                  batch_size:
                    value: 2
                  seed:
                    value: 3
                """.formatted(name, klWeights, steps, evalEvery);
    }

    static JsonPath get(String path) {
        return given().get(path).then().statusCode(200).extract().jsonPath();
    }

    @SuppressWarnings("unchecked")
    private static java.util.Set<String> metricNames(Map<String, Object> point) {
        return ((Map<String, Object>) point.get("metrics")).keySet();
    }

    private static List<Integer> metricSteps(String trialId) {
        return get("/api/trials/" + trialId + "/metrics").getList("step", Integer.class);
    }

    private static void awaitSweepState(String sweepId, String state) {
        await().atMost(TRIAL_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> get("/api/sweeps/" + sweepId).getString("state").equals(state));
    }

    /** Sends every metric record of a sweep again, unchanged; returns how many. */
    private int replayMetricRecords(String sweepId) throws Exception {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "replay-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<String, byte[]>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(Topics.METRICS));
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline && records.size() < 4) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    if (r.key() != null && r.key().startsWith(sweepId)) {
                        records.add(r);
                    }
                }
            }
            for (ConsumerRecord<String, byte[]> r : records) {
                producer.send(new ProducerRecord<>(Topics.METRICS, r.key(), r.value())).get();
            }
        } catch (RuntimeException e) {
            throw new IOException("replay failed", e);
        }
        return records.size();
    }
}
