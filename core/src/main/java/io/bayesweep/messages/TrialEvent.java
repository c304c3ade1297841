package io.bayesweep.messages;

import java.time.Instant;

/**
 * A change in a trial's life, emitted by the worker that owns the trial.
 *
 * @param step   the training step the event refers to (0 for Started on a fresh trial, the resumed
 *               step when a trial is taken over, the checkpointed step, the last step)
 * @param reason why a trial failed or was cancelled; null otherwise
 */
public record TrialEvent(int schema, Type type, String sweepId, String trialId, int attempt, long step,
                         long totalSteps, String worker, String reason, Instant timestamp) {
    public static final int SCHEMA = 1;

    public enum Type {
        STARTED, CHECKPOINTED, COMPLETED, FAILED, CANCELLED;

        public boolean isTerminal() {
            return this == COMPLETED || this == FAILED || this == CANCELLED;
        }
    }

    public static TrialEvent of(Type type, String sweepId, String trialId, int attempt, long step,
                                long totalSteps, String worker, String reason) {
        return new TrialEvent(SCHEMA, type, sweepId, trialId, attempt, step, totalSteps, worker, reason, Instant.now());
    }
}
