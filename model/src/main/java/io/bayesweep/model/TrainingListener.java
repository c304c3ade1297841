package io.bayesweep.model;

/**
 * Receives a trial's progress. Called on the training thread: implementations must be quick
 * (hand messages to a producer, do not block on I/O for long).
 */
public interface TrainingListener {
    /** Called once before the first step; {@code fromStep} > 0 when resuming from a checkpoint. */
    default void onStart(long fromStep, long totalSteps) {
    }

    /** Called after every training step. */
    default void onStep(StepReport report) {
    }

    /** Called at every eval step (every eval_every steps, and at the last step) with metrics from real samples. */
    void onEval(EvalReport report);

    /** Called after a checkpoint for {@code step} is durably written. */
    default void onCheckpoint(long step) {
    }
}
