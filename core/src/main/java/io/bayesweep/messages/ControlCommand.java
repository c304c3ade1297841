package io.bayesweep.messages;

import java.time.Instant;

/** A command from the orchestrator to whichever worker owns a trial. Every worker reads every command. */
public record ControlCommand(int schema, Action action, String sweepId, String trialId, Instant timestamp) {
    public static final int SCHEMA = 1;

    public enum Action {
        /** Stop the trial for good: the worker cancels it and reports CANCELLED. */
        STOP
    }

    public static ControlCommand stop(String sweepId, String trialId) {
        return new ControlCommand(SCHEMA, Action.STOP, sweepId, trialId, Instant.now());
    }
}
