package io.bayesweep.model;

import java.util.List;
import java.util.Map;

/**
 * One eval step: metrics computed on samples drawn with the mean weights from fixed seeds.
 *
 * @param metrics   metric name to value (loss, kl, fidelity, noise, diversity, memorization, ...)
 * @param samples   the samples themselves, each a {@code float[3 * 16 * 16]} in CHW order with values in [-1, 1]
 * @param samplePng the samples as one PNG grid
 */
public record EvalReport(long step, long totalSteps, Map<String, Double> metrics, List<float[]> samples,
                         byte[] samplePng) {
}
