package io.bayesweep.model;

import java.util.Map;

/**
 * One training step.
 *
 * @param sigmaMean mean posterior std per Bayesian layer group (empty for the plain baseline)
 */
public record StepReport(long step, long totalSteps, double loss, double kl, Map<String, Double> sigmaMean) {
}
