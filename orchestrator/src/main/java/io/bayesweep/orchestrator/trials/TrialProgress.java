package io.bayesweep.orchestrator.trials;

/**
 * The part of a trial that lifecycle events and metrics change.
 *
 * @param attempt      the attempt that currently owns the trial, 0 before the first start
 * @param lostAttempts attempts that ended without a terminal event because another attempt took over
 */
public record TrialProgress(TrialState state, int attempt, int lostAttempts, long step, long totalSteps,
                            String worker, String reason, boolean cancelRequested) {

    public static TrialProgress pending() {
        return new TrialProgress(TrialState.PENDING, 0, 0, 0, 0, null, null, false);
    }

    TrialProgress withState(TrialState newState, String newReason) {
        return new TrialProgress(newState, attempt, lostAttempts, step, totalSteps, worker, newReason, cancelRequested);
    }

    TrialProgress withOwner(int newAttempt, String newWorker, int newLostAttempts) {
        return new TrialProgress(state, newAttempt, newLostAttempts, step, totalSteps, newWorker, reason, cancelRequested);
    }

    /** Steps only move forward: a replayed or older step never winds the trial back. */
    TrialProgress withStepAtLeast(long newStep, long newTotalSteps) {
        return new TrialProgress(state, attempt, lostAttempts, Math.max(step, newStep),
                newTotalSteps > 0 ? newTotalSteps : totalSteps, worker, reason, cancelRequested);
    }

    public TrialProgress withCancelRequested() {
        return new TrialProgress(state, attempt, lostAttempts, step, totalSteps, worker, reason, true);
    }
}
