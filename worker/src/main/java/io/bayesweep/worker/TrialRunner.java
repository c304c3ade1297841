package io.bayesweep.worker;

import io.bayesweep.messages.TrialEvent;
import io.bayesweep.messages.TrialRequested;
import io.bayesweep.model.FineTuner;
import io.bayesweep.model.TrainingConfig;
import io.bayesweep.model.TrainingException;
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

    TrialRunner(FineTuner fineTuner, ArtifactStore artifacts, Producer<String, byte[]> producer, WorkerConfig config) {
        this.fineTuner = fineTuner;
        this.artifacts = artifacts;
        this.producer = producer;
        this.config = config;
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
        boolean finished = runAttempt(trial, stop);
        if (finished) {
            artifacts.markFinished(trial.trialId());
        }
        return finished;
    }

    /** Reports a trial stopped before any attempt (its STOP came first), so that it is not run at all. */
    void skipStopped(TrialRequested trial) throws Exception {
        new TrialReporter(producer, artifacts, trial, 0, config.workerId(), 0)
                .finish(TrialEvent.Type.CANCELLED, 0, "cancelled before it started");
        artifacts.markFinished(trial.trialId());
    }

    private boolean runAttempt(TrialRequested trial, AtomicReference<StopReason> stop) throws Exception {
        int attempt = artifacts.nextAttempt(trial.trialId());
        TrainingConfig trainingConfig;
        try {
            trainingConfig = TrainingConfigs.from(trial.params(), config.checkpointEvery());
        } catch (IllegalArgumentException | ClassCastException e) {
            new TrialReporter(producer, artifacts, trial, attempt, config.workerId(), 0)
                    .finish(TrialEvent.Type.FAILED, 0, "invalid parameters: " + e.getMessage());
            return true;
        }
        TrialReporter reporter = new TrialReporter(producer, artifacts, trial, attempt, config.workerId(),
                trainingConfig.steps());
        ONE_TRAINING_PER_JVM.lockInterruptibly();
        try {
            if (stop.get() != null) {
                return finishStopped(trial, reporter, stop.get());
            }
            TrainingResult result = fineTuner.run(trainingConfig, artifacts.checkpointDir(trial.trialId()),
                    reporter, () -> stop.get() != null);
            if (result.cancelled()) {
                return finishStopped(trial, reporter, stop.get());
            }
            reporter.finish(TrialEvent.Type.COMPLETED, result.lastStep(), null);
            LOG.info("{}: completed at step {}", trial.trialId(), result.lastStep());
            return true;
        } catch (TrainingException e) {
            LOG.warn("{}: failed: {}", trial.trialId(), e.getMessage());
            reporter.finish(TrialEvent.Type.FAILED, reporter.lastStep(), e.getMessage());
            return true;
        } catch (RuntimeException e) {
            // A bug or an engine error: report it with its cause rather than lose the trial silently.
            LOG.error("{}: training crashed", trial.trialId(), e);
            reporter.finish(TrialEvent.Type.FAILED, reporter.lastStep(), "training crashed: " + e);
            return true;
        } finally {
            ONE_TRAINING_PER_JVM.unlock();
        }
    }

    private boolean finishStopped(TrialRequested trial, TrialReporter reporter, StopReason reason) throws Exception {
        if (reason == StopReason.CANCELLED) {
            reporter.finish(TrialEvent.Type.CANCELLED, reporter.lastStep(), "cancelled by request");
            LOG.info("{}: cancelled at step {}", trial.trialId(), reporter.lastStep());
            return true;
        }
        LOG.info("{}: released at step {}; its next owner resumes from the last checkpoint",
                trial.trialId(), reporter.lastStep());
        return false;
    }
}
