package io.bayesweep.model;

import java.util.Map;

/**
 * One eval step: metrics computed on samples drawn with the mean weights from fixed seeds.
 *
 * @param metrics   metric name to value (loss, kl, fidelity, noise, diversity, memorization, ...)
 * @param samplePng the samples as one PNG grid
 */
public record EvalReport(long step, long totalSteps, Map<String, Double> metrics, byte[] samplePng) {
}
