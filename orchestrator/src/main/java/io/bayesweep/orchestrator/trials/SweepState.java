package io.bayesweep.orchestrator.trials;

/** A sweep runs until every trial is terminal; stored by name in {@code sweeps.state}. */
public enum SweepState {
    RUNNING,
    COMPLETED,
    CANCELLED;

    public boolean isFinished() {
        return this != RUNNING;
    }
}
