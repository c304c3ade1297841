package io.bayesweep.messages;

import io.bayesweep.detect.DetectorState;

import java.time.Instant;

/**
 * The orchestrator's corruption-stage detector confirmed a new corruption window of a trial (docs/detection.md):
 * fidelity fell below its running peak while noise rose, on consecutive eval points. Topic bayesweep.alerts,
 * key = trialId. A window is announced once: {@code (trialId, detector, onset)} identifies it, and the matching
 * {@link CorruptionStageExited} carries the same onset.
 *
 * @param type     always {@link #TYPE}: tells the two alert messages of the topic apart
 * @param step     the eval step whose point confirmed the window (at or after the onset)
 * @param onset    the step of the first point of the window
 * @param depth    the running fidelity peak before the window minus the lowest fidelity in it so far
 * @param detector the detector's parameter version, e.g. "v1"
 * @param state    the trial's detector state after {@code step}: {@code CORRUPTED}
 */
public record CorruptionStageEntered(int schema, String type, String sweepId, String trialId, long step, long onset,
                                     double depth, String detector, DetectorState state, Instant timestamp) {
    public static final int SCHEMA = 1;
    public static final String TYPE = "ENTERED";

    public static CorruptionStageEntered of(String sweepId, String trialId, long step, long onset, double depth,
                                            String detector, DetectorState state, Instant timestamp) {
        return new CorruptionStageEntered(SCHEMA, TYPE, sweepId, trialId, step, onset, depth, detector, state,
                timestamp);
    }
}
