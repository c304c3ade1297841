package io.bayesweep.orchestrator.sweeps;

public class SweepNotFoundException extends RuntimeException {
    public SweepNotFoundException(String sweepId) {
        super("no sweep " + sweepId);
    }
}
