package io.bayesweep.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One training step.
 *
 * @param loss  the diffusion (denoising) MSE, mean over the Monte-Carlo weight samples
 * @param kl    KL(q || p) divided by the number of Bayesian weights (0 for the plain baseline)
 * @param sigma posterior sigma statistics per Bayesian layer group (empty for the plain baseline)
 */
public record StepReport(long step, long totalSteps, double loss, double kl, Map<String, SigmaStats> sigma) {

    /** Mean posterior sigma per Bayesian layer group. */
    public Map<String, Double> sigmaMean() {
        Map<String, Double> out = new LinkedHashMap<>();
        sigma.forEach((group, s) -> out.put(group, s.mean()));
        return out;
    }
}
