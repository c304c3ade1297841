package io.bayesweep.orchestrator.metrics;

import io.bayesweep.detect.DetectorState;
import io.bayesweep.orchestrator.store.MetricRepository.StepValue;
import io.bayesweep.orchestrator.trials.TrialState;

import java.time.Instant;
import java.util.Map;

/**
 * A trial as the store has it, for gauges rebuilt at start-up.
 *
 * @param evalStep       the newest stored eval step; null when the trial has none
 * @param progressStep   the trial's step (events and points)
 * @param progressAt     when that step was reached, as well as the store knows: the newest stored point or the start
 * @param finishedAt     null while the trial is not terminal
 * @param values         the latest value of each exported metric the trial has, with its step
 * @param detection      the stored detector state; null before the trial's first point
 */
public record TrialSnapshot(String sweepId, String trialId, TrialState state, long progressStep, long totalSteps,
                            Instant progressAt, Instant finishedAt, Long evalStep, Map<String, StepValue> values,
                            DetectorState detection) {
    public TrialSnapshot {
        values = Map.copyOf(values);
    }
}
