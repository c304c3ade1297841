package io.bayesweep.messages;

import java.time.Instant;
import java.util.Map;

/**
 * The metrics of one eval step of one trial. Idempotent by (trialId, step): a replayed step
 * (after a worker resumed from a checkpoint) carries the same step number and is stored once.
 *
 * @param attempt    which attempt of the trial produced it, from 1
 * @param totalSteps the trial's planned number of training steps, for progress display
 * @param metrics    metric name to value, for example loss, kl, fidelity, noise (see docs/metrics.md)
 */
public record StepMetrics(int schema, String sweepId, String trialId, int attempt, long step,
                          long totalSteps, String worker, Map<String, Double> metrics, Instant timestamp) {
    public static final int SCHEMA = 1;

    public static StepMetrics of(String sweepId, String trialId, int attempt, long step, long totalSteps,
                                 String worker, Map<String, Double> metrics) {
        return new StepMetrics(SCHEMA, sweepId, trialId, attempt, step, totalSteps, worker, metrics, Instant.now());
    }
}
