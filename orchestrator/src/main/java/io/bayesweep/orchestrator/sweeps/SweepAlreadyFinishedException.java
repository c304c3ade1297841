package io.bayesweep.orchestrator.sweeps;

import io.bayesweep.orchestrator.trials.SweepState;

public class SweepAlreadyFinishedException extends RuntimeException {
    public SweepAlreadyFinishedException(String sweepId, SweepState state) {
        super("sweep " + sweepId + " is already " + state);
    }
}
