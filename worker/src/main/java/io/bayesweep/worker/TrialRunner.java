package io.bayesweep.worker;

import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialRequested;
import io.bayesweep.model.EvalReport;
import io.bayesweep.model.FineTuner;
import io.bayesweep.model.StepReport;
import io.bayesweep.model.TrainingConfig;
import io.bayesweep.model.TrainingException;
import io.bayesweep.model.TrainingListener;
import io.bayesweep.model.TrainingResult;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/** Runs one attempt at one trial with the model module and reports how it went. */
final class TrialRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TrialRunner.class);

    /**
     * DJL allows one open GradientCollector per JVM: workers sharing a JVM (tests, embedded use)
     * therefore train one at a time. Separate worker processes are unaffected.
     */
    private static final ReentrantLock ONE_TRAINING_PER_JVM = new ReentrantLock();

    private final FineTuner fineTuner;
    private final ArtifactStore artifacts;
    private final Producer<String, byte[]> producer;
    private final WorkerConfig config;
    private final WorkerMetrics metrics;

    /** How an attempt ended. */
    private enum Outcome {
        COMPLETED, FAILED, CANCELLED,
        /** Stopped without a verdict: the trial's next owner runs it again. */
        RELEASED;

        boolean finished() {
            return this != RELEASED;
        }
    }

    TrialRunner(FineTuner fineTuner, ArtifactStore artifacts, Producer<String, byte[]> producer, WorkerConfig config,
                WorkerMetrics metrics) {
        this.fineTuner = fineTuner;
        this.artifacts = artifacts;
        this.producer = producer;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Runs the trial until it completes, fails or is asked to stop through {@code stop}.
     * A trial whose parameters or data are wrong is reported FAILED (not retried); one released by
     * this worker is not reported at all, so that its next owner resumes it from the checkpoint.
     *
     * @return true when the trial is finished (completed, failed or cancelled) and its request may be
     *         committed; false when it was released and must be run again by its next owner
     */
    boolean run(TrialRequested trial, AtomicReference<StopReason> stop) throws Exception {
        if (artifacts.isFinished(trial.trialId())) {
            // The orchestrator's outbox delivers at least once: a second request for a finished trial is a no-op.
            LOG.info("{}: already finished, ignoring a duplicate request", trial.trialId());
            return true;
        }
        TrialMeters meters = metrics.attemptStarted(trial.sweepId(), trial.trialId());
        Outcome outcome = null;
        try {
            outcome = runAttempt(trial, stop, meters);
        } finally {
            // no outcome: the terminal event could not be written, an error as much as a failed trial
            metrics.attemptEnded(meters, outcome == null || outcome == Outcome.FAILED);
        }
        if (outcome.finished()) {
            artifacts.markFinished(trial.trialId());
        }
        return outcome.finished();
    }

    /** Reports a trial stopped before any attempt (its STOP came first), so that it is not run at all. */
    void skipStopped(TrialRequested trial) throws Exception {
        new TrialReporter(producer, artifacts, trial, 0, config.workerId(), 0)
                .finish(TrialEvent.Type.CANCELLED, 0, "cancelled before it started");
        artifacts.markFinished(trial.trialId());
    }

    private Outcome runAttempt(TrialRequested trial, AtomicReference<StopReason> stop, TrialMeters meters)
            throws Exception {
        int attempt = artifacts.nextAttempt(trial.trialId());
        TrainingConfig trainingConfig;
        try {
            trainingConfig = TrainingConfigs.from(trial.params(), config.checkpointEvery());
        } catch (IllegalArgumentException | ClassCastException e) {
            new TrialReporter(producer, artifacts, trial, attempt, config.workerId(), 0)
                    .finish(TrialEvent.Type.FAILED, 0, "invalid parameters: " + e.getMessage());
            return Outcome.FAILED;
        }
        TrialReporter reporter = new TrialReporter(producer, artifacts, trial, attempt, config.workerId(),
                trainingConfig.steps());
        ONE_TRAINING_PER_JVM.lockInterruptibly();
        try {
            if (stop.get() != null) {
                return finishStopped(trial, reporter, stop.get());
            }
            TrainingResult result = fineTuner.run(trainingConfig, artifacts.checkpointDir(trial.trialId()),
                    new Both(reporter, meters), () -> stop.get() != null);
            if (result.cancelled()) {
                return finishStopped(trial, reporter, stop.get());
            }
            reporter.finish(TrialEvent.Type.COMPLETED, result.lastStep(), null);
            LOG.info("{}: completed at step {}", trial.trialId(), result.lastStep());
            return Outcome.COMPLETED;
        } catch (TrainingException e) {
            LOG.warn("{}: failed: {}", trial.trialId(), e.getMessage());
            reporter.finish(TrialEvent.Type.FAILED, reporter.lastStep(), e.getMessage());
            return Outcome.FAILED;
        } catch (RuntimeException e) {
            // A bug or an engine error: report it with its cause rather than lose the trial silently.
            LOG.error("{}: training crashed", trial.trialId(), e);
            reporter.finish(TrialEvent.Type.FAILED, reporter.lastStep(), "training crashed: " + e);
            return Outcome.FAILED;
        } finally {
            ONE_TRAINING_PER_JVM.unlock();
        }
    }

    private Outcome finishStopped(TrialRequested trial, TrialReporter reporter, StopReason reason) throws Exception {
        if (reason == StopReason.CANCELLED) {
            reporter.finish(TrialEvent.Type.CANCELLED, reporter.lastStep(), "cancelled by request");
            LOG.info("{}: cancelled at step {}", trial.trialId(), reporter.lastStep());
            return Outcome.CANCELLED;
        }
        LOG.info("{}: released at step {}; its next owner resumes from the last checkpoint",
                trial.trialId(), reporter.lastStep());
        return Outcome.RELEASED;
    }

    /** Hands every callback to the reporter, then to the meters, which thus do not time the reporting. */
    private record Both(TrainingListener first, TrainingListener then) implements TrainingListener {
        @Override
        public void onStart(long fromStep, long totalSteps) {
            first.onStart(fromStep, totalSteps);
            then.onStart(fromStep, totalSteps);
        }

        @Override
        public void onStep(StepReport report) {
            first.onStep(report);
            then.onStep(report);
        }

        @Override
        public void onEval(EvalReport report) {
            first.onEval(report);
            then.onEval(report);
        }

        @Override
        public void onCheckpoint(long step) {
            first.onCheckpoint(step);
            then.onCheckpoint(step);
        }
    }
}
