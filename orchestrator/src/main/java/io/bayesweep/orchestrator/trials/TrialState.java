package io.bayesweep.orchestrator.trials;

/** Where a trial is in its life. Stored by name in {@code trials.state}: a contract with dashboards. */
public enum TrialState {
    /** Requested (or about to be), no worker has started it yet. */
    PENDING,
    RUNNING,
    COMPLETED,
    /** A code or data error: not retried blindly. */
    FAILED,
    CANCELLED,
    /** Ended by the sweep's early-termination rule. */
    STOPPED_EARLY,
    /** Infrastructure loss (worker gone, lease expired): waits for a retry, so not terminal. */
    LOST;

    /** A terminal trial never changes again, whatever arrives late or replayed. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == STOPPED_EARLY;
    }
}
