package io.bayesweep.model.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The eval-step image metrics of a set of samples, by their contract names (see docs/model.md):
 * {@code fidelity}, {@code fidelity_min}, {@code fidelity_max}, {@code noise}, {@code hf_ratio},
 * {@code diversity}, {@code memorization}.
 */
public final class SampleMetrics {
    private SampleMetrics() {
    }

    /**
     * @param subjectRefs  all reference images of the subject (fidelity is measured against these)
     * @param trainingRefs the references the trial trains on (memorization is measured against these)
     */
    public static Map<String, Double> compute(List<float[]> samples, List<float[]> subjectRefs,
                                              List<float[]> trainingRefs) {
        double[] fid = ImageMetrics.fidelities(samples, subjectRefs);
        double mean = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double f : fid) {
            mean += f;
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        double noise = 0;
        double hf = 0;
        for (float[] s : samples) {
            noise += ImageMetrics.immerkaerNoise(s);
            hf += ImageMetrics.highFrequencyRatio(s);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("fidelity", mean / fid.length);
        out.put("fidelity_min", min);
        out.put("fidelity_max", max);
        out.put("noise", noise / samples.size());
        out.put("hf_ratio", hf / samples.size());
        out.put("diversity", ImageMetrics.diversity(samples));
        out.put("memorization", ImageMetrics.memorization(samples, trainingRefs));
        return out;
    }
}
