package io.bayesweep.orchestrator.trials;

import io.bayesweep.detect.DetectorState;

import java.util.Map;

/**
 * Told what {@link TrialTracker} changed, once the transaction that changed it has committed: whatever follows the
 * store this way (the Prometheus gauges) never shows a change that was rolled back. An observer must not throw; the
 * tracker logs what it throws and goes on, because the change is in the store already.
 */
public interface TrialObserver {

    /** Observes nothing: a tracker without gauges (the store tests). */
    TrialObserver NONE = new TrialObserver() {
    };

    /**
     * A new eval point was stored (a replayed one is not reported: it changed nothing).
     *
     * @param progress  the trial after the point
     * @param values    the point's metric values
     * @param detection the trial's detector state after the point; null when the detector failed on it
     */
    default void pointStored(String sweepId, String trialId, TrialProgress progress, long step,
                             Map<String, Double> values, DetectorState detection) {
    }

    /** A lifecycle event was applied, whether or not it changed the trial (a replay does not). */
    default void eventApplied(String sweepId, String trialId, Transition transition) {
    }
}
