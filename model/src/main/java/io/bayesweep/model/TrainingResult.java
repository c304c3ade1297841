package io.bayesweep.model;

import java.util.Map;

/**
 * How a trial's run ended.
 *
 * @param lastStep     the last step trained
 * @param cancelled    true when the run stopped because cancellation was requested
 * @param finalMetrics the metrics of the last eval step (empty if none was reached)
 */
public record TrainingResult(long lastStep, boolean cancelled, Map<String, Double> finalMetrics) {
}
