package io.bayesweep.orchestrator.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayesweep.detect.EvalPoint;
import io.bayesweep.messages.CorruptionStageEntered;
import io.bayesweep.messages.CorruptionStageExited;
import io.bayesweep.messages.Json;
import io.bayesweep.messages.Topics;
import io.bayesweep.orchestrator.store.AlertRecord;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.testing.KafkaBrokerResource;
import io.bayesweep.orchestrator.testing.KafkaTestClient;
import io.bayesweep.orchestrator.testing.PostgresDatabaseResource;
import io.bayesweep.orchestrator.testing.SweepRequests;
import io.bayesweep.orchestrator.testing.Traces;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static io.bayesweep.orchestrator.testing.SweepRequests.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The corruption-stage detector online: eval points through the real broker into PostgreSQL, the verdict in the
 * store and the trial views, the alerts on bayesweep.alerts, and the replay endpoint against the cli's detector.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CorruptionAlertsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How long the topic is watched for an alert that must not come. */
    private static final Duration QUIET = Duration.ofSeconds(4);

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

    private void send(String sweepId, String trialId, List<EvalPoint> points) {
        for (EvalPoint p : points) {
            kafka.sendJson(Topics.METRICS, trialId, Traces.stepMetrics(sweepId, trialId, 1, p, 800));
        }
    }

    private static JsonNode getJson(String path) throws IOException {
        String body = given().when().get(path).then().statusCode(200).extract().asString();
        return Json.MAPPER.readTree(body);
    }

    /** Waits until the trial's stored verdict has read up to {@code lastStep}: its records were all processed. */
    private static JsonNode awaitVerdictAt(String trialId, long lastStep) {
        JsonNode[] trial = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            trial[0] = getJson("/api/trials/" + trialId);
            JsonNode d = trial[0].get("detection");
            return d != null && !d.isNull() && d.get("lastStep").asLong() == lastStep;
        });
        return trial[0].get("detection");
    }

    private List<AlertRecord> storedAlerts(String trialId) {
        return store.read(c -> store.detections().alertsOf(c, trialId));
    }

    /** Waits until Kafka acknowledged every alert of the trial, then reads the topic a while for more. */
    private List<ConsumerRecord<String, String>> alertsOnTopic(String trialId, int expected) {
        await().atMost(WAIT).until(() -> storedAlerts(trialId).stream().allMatch(a -> a.publishedAt() != null));
        List<ConsumerRecord<String, String>> found = kafka.read(Topics.ALERTS, r -> trialId.equals(r.key()),
                expected, WAIT);
        assertThat(found).hasSize(expected);
        // and nothing more comes
        return kafka.read(Topics.ALERTS, r -> trialId.equals(r.key()), expected + 1, QUIET);
    }

    /** Runs the real `sweep` command in this JVM against this orchestrator; returns its standard output. */
    private static String sweep(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = io.bayesweep.cli.SweepCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        assertThat(exit).as("sweep %s: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }

    private static String url() {
        return "http://localhost:" + RestAssured.port;
    }

    private static Path csv(List<EvalPoint> points) throws IOException {
        StringBuilder text = new StringBuilder("step,fidelity,noise,diversity,memorization,sigma1,loss\n");
        for (EvalPoint p : points) {
            text.append(p.step());
            for (double v : new double[] {p.fidelity(), p.noise(), p.diversity(), p.memorization(), p.sigma1(), p.loss()}) {
                text.append(',').append(Double.isFinite(v) ? String.format(Locale.ROOT, "%s", v) : "");
            }
            text.append('\n');
        }
        Path file = Files.createTempFile("trace", ".csv");
        file.toFile().deleteOnExit();
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aDipIsAlertedOnceWhateverTheRepeatsAndTheOrderAndTheVerdictMatchesTheCli() throws IOException {
        String sweepId = submit(SweepRequests.THREE_TRIALS);
        String dipTrial = sweepId + "-t000";
        String cleanTrial = sweepId + "-t001";
        String openTrial = sweepId + "-t002";
        List<EvalPoint> dip = Traces.read("dip-01.csv");
        List<EvalPoint> clean = Traces.read("clean-plateau-01.csv");
        List<EvalPoint> opened = dip.stream().filter(p -> p.step() <= 240).toList();

        // The dip: neighbours swapped (onset and end included), then everything again backwards and in order, as
        // after takeovers; the last point comes last, so once it is stored every record before it was processed.
        List<EvalPoint> allButLast = dip.subList(0, dip.size() - 1);
        List<EvalPoint> swapped = new ArrayList<>(allButLast);
        for (int i = 0; i + 1 < swapped.size(); i += 2) {
            Collections.swap(swapped, i, i + 1);
        }
        List<EvalPoint> backwards = new ArrayList<>(allButLast);
        Collections.reverse(backwards);
        send(sweepId, dipTrial, swapped);
        send(sweepId, dipTrial, backwards);
        send(sweepId, dipTrial, allButLast);
        send(sweepId, dipTrial, List.of(dip.get(dip.size() - 1)));
        send(sweepId, cleanTrial, clean);
        send(sweepId, cleanTrial, clean);
        send(sweepId, openTrial, opened);

        // The stored verdicts, in the trial views.
        JsonNode dipVerdict = awaitVerdictAt(dipTrial, 800);
        assertThat(dipVerdict.get("detector").asText()).isEqualTo("v3");
        assertThat(dipVerdict.get("state").asText()).isIn("RECOVERING", "OVERFIT");
        assertThat(dipVerdict.get("points").asInt()).isEqualTo(dip.size());
        assertThat(dipVerdict.get("windows")).hasSize(1);
        JsonNode window = dipVerdict.get("windows").get(0);
        assertThat(window.get("onset").asLong()).isEqualTo(210);
        assertThat(window.get("end").asLong()).isEqualTo(270);
        assertThat(window.get("duration").asLong()).isEqualTo(60);
        assertThat(window.get("depth").asDouble()).isBetween(0.2, 0.35);

        JsonNode openVerdict = awaitVerdictAt(openTrial, 240);
        assertThat(openVerdict.get("state").asText()).isEqualTo("CORRUPTED");
        assertThat(openVerdict.get("windows")).hasSize(1);
        assertThat(openVerdict.get("windows").get(0).get("onset").asLong()).isEqualTo(210);
        assertThat(openVerdict.get("windows").get(0).get("end").isNull()).isTrue();

        JsonNode cleanVerdict = awaitVerdictAt(cleanTrial, clean.get(clean.size() - 1).step());
        assertThat(cleanVerdict.get("windows")).isEmpty();
        assertThat(cleanVerdict.get("state").asText()).isNotIn("CORRUPTED", "RECOVERING");

        // Exactly one Entered and one Exited for the dip, on bayesweep.alerts, keyed by the trial.
        List<ConsumerRecord<String, String>> dipAlerts = alertsOnTopic(dipTrial, 2);
        assertThat(dipAlerts).hasSize(2);
        CorruptionStageEntered entered = Json.fromBytes(dipAlerts.get(0).value().getBytes(StandardCharsets.UTF_8),
                CorruptionStageEntered.class);
        CorruptionStageExited exited = Json.fromBytes(dipAlerts.get(1).value().getBytes(StandardCharsets.UTF_8),
                CorruptionStageExited.class);
        assertThat(entered.type()).isEqualTo("ENTERED");
        assertThat(entered.sweepId()).isEqualTo(sweepId);
        assertThat(entered.trialId()).isEqualTo(dipTrial);
        assertThat(entered.onset()).isEqualTo(210);
        assertThat(entered.step()).isBetween(220L, 260L);
        assertThat(entered.detector()).isEqualTo("v3");
        assertThat(entered.state().name()).isEqualTo("CORRUPTED");
        assertThat(exited.type()).isEqualTo("EXITED");
        assertThat(exited.onset()).isEqualTo(210);
        assertThat(exited.end()).isEqualTo(270);
        assertThat(exited.step()).isGreaterThanOrEqualTo(270);
        assertThat(exited.state().name()).isIn("RECOVERING", "OVERFIT");
        assertThat(exited.depth()).isCloseTo(window.get("depth").asDouble(), org.assertj.core.data.Offset.offset(1e-4));

        // The open window: entered, not exited. The clean trace: nothing.
        List<ConsumerRecord<String, String>> openAlerts = alertsOnTopic(openTrial, 1);
        assertThat(openAlerts).hasSize(1);
        assertThat(Json.MAPPER.readTree(openAlerts.get(0).value()).get("type").asText()).isEqualTo("ENTERED");
        assertThat(storedAlerts(cleanTrial)).isEmpty();
        assertThat(kafka.read(Topics.ALERTS, r -> cleanTrial.equals(r.key()), 1, QUIET)).isEmpty();

        // The replay endpoint equals the stored verdict and the cli's detector on the same points, offline and online.
        for (String trialId : List.of(dipTrial, openTrial, cleanTrial)) {
            List<EvalPoint> points = trialId.equals(dipTrial) ? dip : trialId.equals(openTrial) ? opened : clean;
            JsonNode replay = getJson("/api/trials/" + trialId + "/detection");
            assertThat(replay).as(trialId).isEqualTo(getJson("/api/trials/" + trialId).get("detection"));
            JsonNode offline = Json.MAPPER.readTree(sweep("detect", "--trace", csv(points).toString()));
            assertThat(replay).as(trialId).isEqualTo(offline);
            ObjectNode online = (ObjectNode) Json.MAPPER.readTree(sweep("detect", trialId, "--url", url()));
            assertThat(online.remove("trial").asText()).isEqualTo(trialId);
            assertThat(replay).as(trialId).isEqualTo(online);
        }
        given().when().get("/api/trials/{id}/detection", sweepId + "-t999").then().statusCode(404);

        // The sweep's trial list and `sweep results` carry the verdicts.
        JsonNode trials = getJson("/api/sweeps/" + sweepId + "/trials");
        assertThat(Stream.of(0, 1, 2).map(i -> trials.get(i).get("detection").get("state").asText()).toList())
                .containsExactly(dipVerdict.get("state").asText(), cleanVerdict.get("state").asText(), "CORRUPTED");
        JsonNode results = Json.MAPPER.readTree(sweep("results", sweepId, "--format", "json", "--url", url()));
        assertThat(results.get(0).get("detection").get("windows")).isEqualTo(dipVerdict.get("windows"));
        assertThat(results.get(2).get("detection").get("state").asText()).isEqualTo("CORRUPTED");
        List<String> csv = sweep("results", sweepId, "--format", "csv", "--url", url()).lines().toList();
        assertThat(csv.get(0)).contains(",state,stage,windows,");
        assertThat(csv.get(3)).contains(",PENDING,CORRUPTED,1,");
    }
}
