package io.bayesweep.worker;

import io.bayesweep.messages.ControlCommand;
import io.bayesweep.messages.StepMetrics;
import io.bayesweep.messages.Topics;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialRequested;
import io.bayesweep.model.FineTuner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Workers against a real in-process Kafka broker, training for real with the model module. */
class WorkerTest {
    private static FineTuner fineTuner;

    @TempDir
    Path artifacts;
    private KafkaTestSupport kafka;
    private final List<Worker> workers = new ArrayList<>();
    private List<KafkaTestSupport.Received<TrialEvent>> events;
    private List<KafkaTestSupport.Received<StepMetrics>> metrics;

    @BeforeAll
    static void loadModel() {
        fineTuner = new FineTuner();
    }

    @BeforeEach
    void startBroker() throws Exception {
        kafka = new KafkaTestSupport();
        events = kafka.collect(Topics.TRIAL_EVENTS, TrialEvent.class);
        metrics = kafka.collect(Topics.METRICS, StepMetrics.class);
    }

    @AfterEach
    void stopAll() throws Exception {
        workers.forEach(Worker::close);
        kafka.close();
    }

    @Test
    void runsATrialToCompletionAndReportsEveryEvalStep() throws Exception {
        startWorker("w1");
        kafka.send(Topics.TRIALS, "sw-a-t000", trial("sw-a", "sw-a-t000", tinyParams(6, 3)));

        TrialEvent completed = awaitEvent("sw-a-t000", TrialEvent.Type.COMPLETED);
        assertThat(completed.attempt()).isEqualTo(1);
        assertThat(completed.step()).isEqualTo(6);
        assertThat(eventTypes("sw-a-t000")).startsWith(TrialEvent.Type.STARTED).endsWith(TrialEvent.Type.COMPLETED);
        assertThat(metricSteps("sw-a-t000")).containsExactly(3L, 6L);
        for (var m : metrics) {
            assertThat(m.value().metrics()).containsKeys("loss", "fidelity", "noise", "diversity", "memorization");
            assertThat(m.value().metrics().values()).allSatisfy(v -> assertThat(v).isFinite());
            assertThat(m.value().totalSteps()).isEqualTo(6);
        }
        assertThat(artifacts.resolve("sw-a-t000/samples/step-000006.png")).isNotEmptyFile();

        // A duplicate request (the orchestrator's outbox delivers at least once) does not run the trial again.
        kafka.send(Topics.TRIALS, "sw-a-t000", trial("sw-a", "sw-a-t000", tinyParams(6, 3)));
        // Same key, same partition: t001 is taken only after the duplicate was handled.
        kafka.send(Topics.TRIALS, "sw-a-t000", trial("sw-a", "sw-a-t001", tinyParams(3, 3)));
        awaitEvent("sw-a-t001", TrialEvent.Type.COMPLETED);
        assertThat(eventTypes("sw-a-t000")).containsOnlyOnce(TrialEvent.Type.STARTED);
    }

    @Test
    void aPoisonRequestGoesToTheDeadLetterTopicAndTheNextTrialStillRuns() throws Exception {
        var dead = kafka.collect(Topics.TRIALS_DLQ, byte[].class);
        startWorker("w1");
        kafka.sendRaw(Topics.TRIALS, "garbage", "{not json".getBytes(StandardCharsets.UTF_8));
        kafka.send(Topics.TRIALS, "sw-b-t000", trial("sw-b", "sw-b-t000", tinyParams(3, 3)));

        awaitEvent("sw-b-t000", TrialEvent.Type.COMPLETED);
        await().atMost(Duration.ofSeconds(30)).until(() -> !dead.isEmpty());
        var header = dead.get(0).record().headers().lastHeader(Topics.DLQ_REASON_HEADER);
        assertThat(new String(header.value(), StandardCharsets.UTF_8)).startsWith("TrialRequested:");
        assertThat(dead.get(0).record().value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void invalidParametersFailTheTrialNamingTheParameter() throws Exception {
        startWorker("w1");
        Map<String, Object> params = tinyParams(3, 3);
        params.put("kl_wieght", 0.1);
        kafka.send(Topics.TRIALS, "sw-c-t000", trial("sw-c", "sw-c-t000", params));

        TrialEvent failed = awaitEvent("sw-c-t000", TrialEvent.Type.FAILED);
        assertThat(failed.reason()).contains("kl_wieght");
        assertThat(metricSteps("sw-c-t000")).isEmpty();
    }

    @Test
    void anotherWorkerResumesAStoppedWorkersTrialFromItsCheckpoint() throws Exception {
        Worker first = startWorker("w1");
        kafka.send(Topics.TRIALS, "sw-d-t000", trial("sw-d", "sw-d-t000", tinyParams(30, 3)));
        await().atMost(Duration.ofMinutes(2)).until(() -> events.stream().anyMatch(e ->
                e.value().type() == TrialEvent.Type.CHECKPOINTED && e.value().step() >= 9));

        first.close();
        workers.remove(first);
        startWorker("w2");

        TrialEvent completed = awaitEvent("sw-d-t000", TrialEvent.Type.COMPLETED);
        assertThat(completed.worker()).isEqualTo("w2");
        assertThat(completed.attempt()).isEqualTo(2);
        TrialEvent resumed = events.stream().map(KafkaTestSupport.Received::value)
                .filter(e -> e.type() == TrialEvent.Type.STARTED && e.attempt() == 2).findFirst().orElseThrow();
        assertThat(resumed.step()).as("the second attempt resumes from a checkpoint").isGreaterThanOrEqualTo(9);
        // Every eval step is reported, and a step reported by both attempts carries the same values.
        assertThat(metricSteps("sw-d-t000")).containsExactly(3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L, 30L);
        Map<Long, List<Map<String, Double>>> byStep = metrics.stream().map(KafkaTestSupport.Received::value)
                .collect(Collectors.groupingBy(StepMetrics::step, Collectors.mapping(StepMetrics::metrics, Collectors.toList())));
        byStep.values().forEach(reports -> assertThat(reports).allSatisfy(r -> assertThat(r).isEqualTo(reports.get(0))));
    }

    @Test
    void aRequestQueuedBehindABusyWorkerIsTakenByAnIdleOne() throws Exception {
        Worker first = startWorker("w1");
        Worker second = startWorker("w2");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                first.assignedPartitions().size() == 2 && second.assignedPartitions().size() == 2);
        List<Integer> firsts = first.assignedPartitions().stream().map(p -> p.partition()).sorted().toList();

        // Both requests land on partitions the first worker holds.
        kafka.sendTo(Topics.TRIALS, firsts.get(0), "sw-f-t000", trial("sw-f", "sw-f-t000", tinyParams(12, 6)));
        kafka.sendTo(Topics.TRIALS, firsts.get(1), "sw-f-t001", trial("sw-f", "sw-f-t001", tinyParams(12, 6)));

        TrialEvent a = awaitEvent("sw-f-t000", TrialEvent.Type.COMPLETED);
        TrialEvent b = awaitEvent("sw-f-t001", TrialEvent.Type.COMPLETED);
        assertThat(List.of(a.worker(), b.worker())).containsExactlyInAnyOrder("w1", "w2");
        assertThat(a.attempt()).isEqualTo(1);
        assertThat(b.attempt()).isEqualTo(1);
    }

    @Test
    void aTrialOfAKilledWorkerProcessIsResumedByAnotherWorker() throws Exception {
        Process doomed = startWorkerProcess("w-doomed");
        try {
            kafka.send(Topics.TRIALS, "sw-g-t000", trial("sw-g", "sw-g-t000", tinyParams(400, 20)));
            await().atMost(Duration.ofMinutes(2)).until(() -> events.stream().map(KafkaTestSupport.Received::value)
                    .anyMatch(e -> e.type() == TrialEvent.Type.CHECKPOINTED && e.step() >= 40));
        } finally {
            doomed.destroyForcibly().waitFor(); // SIGKILL: no goodbye to the group, no release
        }
        startWorker("w2");

        TrialEvent completed = awaitEvent("sw-g-t000", TrialEvent.Type.COMPLETED);
        assertThat(completed.worker()).isEqualTo("w2");
        assertThat(completed.attempt()).isEqualTo(2);
        TrialEvent resumed = events.stream().map(KafkaTestSupport.Received::value)
                .filter(e -> e.type() == TrialEvent.Type.STARTED && e.attempt() == 2).findFirst().orElseThrow();
        assertThat(resumed.step()).isGreaterThanOrEqualTo(40);
        assertThat(metricSteps("sw-g-t000")).hasSize(20);
    }

    /** A worker in a process of its own, as in production, so that it can be killed for real. */
    private Process startWorkerProcess(String id) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dai.djl.pytorch.num_threads=1", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                WorkerMain.class.getName());
        builder.environment().putAll(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.broker.bootstrapServers(),
                "BAYESWEEP_WORKER_ID", id,
                "BAYESWEEP_WORKER_GROUP", "workers",
                "BAYESWEEP_ARTIFACTS_DIR", artifacts.toString(),
                "BAYESWEEP_CHECKPOINT_EVERY", "20",
                "BAYESWEEP_SESSION_TIMEOUT_SECONDS", "6",
                "BAYESWEEP_METRICS_PORT", "0", // any free port: 9400 may be taken on a test machine
                "OMP_WAIT_POLICY", "PASSIVE"));
        builder.redirectErrorStream(true).redirectOutput(artifacts.resolve(id + ".log").toFile());
        return builder.start();
    }

    @Test
    void aTrialStoppedBeforeItStartedIsNeverRun() throws Exception {
        Worker worker = startWorker("w1");
        kafka.send(Topics.CONTROL, "sw-h-t000", ControlCommand.stop("sw-h", "sw-h-t000"));
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.knowsStopped("sw-h-t000"));
        kafka.send(Topics.TRIALS, "sw-h-t000", trial("sw-h", "sw-h-t000", tinyParams(6, 3)));

        TrialEvent cancelled = awaitEvent("sw-h-t000", TrialEvent.Type.CANCELLED);
        assertThat(cancelled.reason()).isEqualTo("cancelled before it started");
        assertThat(cancelled.attempt()).isZero();
        assertThat(eventTypes("sw-h-t000")).containsExactly(TrialEvent.Type.CANCELLED);
        assertThat(metricSteps("sw-h-t000")).isEmpty();
    }

    @Test
    void aStopCommandCancelsTheRunningTrial() throws Exception {
        startWorker("w1");
        kafka.send(Topics.TRIALS, "sw-e-t000", trial("sw-e", "sw-e-t000", tinyParams(2000, 50)));
        awaitEvent("sw-e-t000", TrialEvent.Type.STARTED);

        kafka.send(Topics.CONTROL, "sw-e-t000", ControlCommand.stop("sw-e", "sw-e-t000"));

        TrialEvent cancelled = awaitEvent("sw-e-t000", TrialEvent.Type.CANCELLED);
        assertThat(cancelled.step()).isLessThan(2000);
        assertThat(eventTypes("sw-e-t000")).doesNotContain(TrialEvent.Type.COMPLETED);
    }

    private Worker startWorker(String id) {
        Worker worker = new Worker(new WorkerConfig(kafka.broker.bootstrapServers(), id, "workers", artifacts, 3,
                Duration.ofSeconds(6)), fineTuner).start();
        workers.add(worker);
        return worker;
    }

    private static TrialRequested trial(String sweepId, String trialId, Map<String, Object> params) {
        return TrialRequested.of(sweepId, trialId, 0, params);
    }

    /** A trial small enough for tests: batch 2, Bayesian convolutions, seed 7. */
    static Map<String, Object> tinyParams(int steps, int evalEvery) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("steps", steps);
        p.put("eval_every", evalEvery);
        p.put("batch_size", 2);
        p.put("bayesian_layers", List.of("conv"));
        p.put("kl_weight", 0.1);
        p.put("seed", 7);
        return p;
    }

    private TrialEvent awaitEvent(String trialId, TrialEvent.Type type) {
        await().atMost(Duration.ofMinutes(3)).until(() -> events.stream()
                .anyMatch(e -> e.value().trialId().equals(trialId) && e.value().type() == type));
        return events.stream().map(KafkaTestSupport.Received::value)
                .filter(e -> e.trialId().equals(trialId) && e.type() == type).findFirst().orElseThrow();
    }

    private List<TrialEvent.Type> eventTypes(String trialId) {
        return events.stream().map(KafkaTestSupport.Received::value).filter(e -> e.trialId().equals(trialId))
                .map(TrialEvent::type).filter(t -> t != TrialEvent.Type.CHECKPOINTED).toList();
    }

    private Set<Long> metricSteps(String trialId) {
        return metrics.stream().map(KafkaTestSupport.Received::value).filter(m -> m.trialId().equals(trialId))
                .map(StepMetrics::step).collect(Collectors.toCollection(TreeSet::new));
    }
}
