package io.bayesweep.worker;

import io.bayesweep.messages.Json;
import io.bayesweep.messages.StepMetrics;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialRequested;
import io.bayesweep.messages.Topics;
import io.bayesweep.model.EvalReport;
import io.bayesweep.model.StepReport;
import io.bayesweep.model.TrainingListener;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Adapts the model's training callbacks to Kafka messages about one attempt at one trial:
 * lifecycle events on {@code bayesweep.trial-events}, eval-step metrics on {@code bayesweep.metrics}.
 * Every record is keyed by trial id so that a trial's messages stay in order.
 */
final class TrialReporter implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(TrialReporter.class);

    private final Producer<String, byte[]> producer;
    private final ArtifactStore artifacts;
    private final TrialRequested trial;
    private final int attempt;
    private final String workerId;
    private long totalSteps;
    private long lastStep;

    TrialReporter(Producer<String, byte[]> producer, ArtifactStore artifacts, TrialRequested trial,
                  int attempt, String workerId, long totalSteps) {
        this.producer = producer;
        this.artifacts = artifacts;
        this.trial = trial;
        this.attempt = attempt;
        this.workerId = workerId;
        this.totalSteps = totalSteps;
    }

    @Override
    public void onStart(long fromStep, long totalSteps) {
        this.totalSteps = totalSteps;
        this.lastStep = fromStep;
        LOG.info("{}: attempt {} starts at step {} of {}", trial.trialId(), attempt, fromStep, totalSteps);
        sendEvent(TrialEvent.Type.STARTED, fromStep, null);
    }

    @Override
    public void onStep(StepReport report) {
        lastStep = report.step();
    }

    @Override
    public void onEval(EvalReport report) {
        try {
            artifacts.writeSampleGrid(trial.trialId(), report.step(), report.samplePng());
        } catch (IOException e) {
            // A missing picture must not stop the trial; the metrics still flow.
            LOG.warn("{}: cannot store the sample grid of step {}: {}", trial.trialId(), report.step(), e.toString());
        }
        StepMetrics metrics = StepMetrics.of(trial.sweepId(), trial.trialId(), attempt, report.step(),
                report.totalSteps(), workerId, report.metrics());
        producer.send(new ProducerRecord<>(Topics.METRICS, trial.trialId(), Json.toBytes(metrics)));
    }

    @Override
    public void onCheckpoint(long step) {
        sendEvent(TrialEvent.Type.CHECKPOINTED, step, null);
    }

    /** Sends a terminal event and waits until Kafka has it, so the trial is never consumed without it. */
    void finish(TrialEvent.Type type, long step, String reason)
            throws InterruptedException, ExecutionException, TimeoutException {
        producer.send(new ProducerRecord<>(Topics.TRIAL_EVENTS, trial.trialId(),
                Json.toBytes(event(type, step, reason)))).get(60, TimeUnit.SECONDS);
    }

    long lastStep() {
        return lastStep;
    }

    private void sendEvent(TrialEvent.Type type, long step, String reason) {
        producer.send(new ProducerRecord<>(Topics.TRIAL_EVENTS, trial.trialId(), Json.toBytes(event(type, step, reason))));
    }

    private TrialEvent event(TrialEvent.Type type, long step, String reason) {
        return TrialEvent.of(type, trial.sweepId(), trial.trialId(), attempt, step, totalSteps, workerId, reason);
    }
}
