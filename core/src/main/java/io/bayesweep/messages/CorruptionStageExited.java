package io.bayesweep.messages;

import io.bayesweep.detect.DetectorState;

import java.time.Instant;

/**
 * A corruption window that {@link CorruptionStageEntered} announced has closed: fidelity or noise was back to
 * normal on consecutive eval points. Topic bayesweep.alerts, key = trialId; sent at most once per window, after
 * its Entered, with the same {@code (trialId, detector, onset)}.
 *
 * @param type     always {@link #TYPE}
 * @param step     the eval step whose point confirmed the end (at or after {@code end})
 * @param onset    the window's onset, as its Entered announced it
 * @param end      the step of the first point back to normal
 * @param depth    the running fidelity peak before the window minus the lowest fidelity inside it
 * @param detector the detector's parameter version, e.g. "v1"
 * @param state    the trial's detector state after {@code step}: {@code RECOVERING} or {@code OVERFIT}
 */
public record CorruptionStageExited(int schema, String type, String sweepId, String trialId, long step, long onset,
                                    long end, double depth, String detector, DetectorState state, Instant timestamp) {
    public static final int SCHEMA = 1;
    public static final String TYPE = "EXITED";

    public static CorruptionStageExited of(String sweepId, String trialId, long step, long onset, long end,
                                           double depth, String detector, DetectorState state, Instant timestamp) {
        return new CorruptionStageExited(SCHEMA, TYPE, sweepId, trialId, step, onset, end, depth, detector, state,
                timestamp);
    }
}
