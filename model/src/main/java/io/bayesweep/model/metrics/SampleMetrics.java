package io.bayesweep.model.metrics;

import io.bayesweep.model.encoder.FeatureEncoder;
import io.bayesweep.model.encoder.FeatureMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The eval-step image metrics of a set of samples, by their contract names (see docs/model.md and
 * docs/encoder.md): {@code fidelity}, {@code fidelity_min}, {@code fidelity_max}, {@code diversity} in the
 * feature space of the frozen {@link FeatureEncoder} (the DINO/CLIP stand-in), their pixel-space forerunners
 * {@code pixel_fidelity} and {@code pixel_diversity}, and {@code noise}, {@code hf_ratio}, {@code memorization}.
 */
public final class SampleMetrics {
    private SampleMetrics() {
    }

    /**
     * Uses the bundled encoder ({@link FeatureEncoder#bundled()}, loaded once per JVM).
     *
     * @param subjectRefs  all reference images of the subject (fidelity is measured against these)
     * @param trainingRefs the references the trial trains on (memorization is measured against these)
     */
    public static Map<String, Double> compute(List<float[]> samples, List<float[]> subjectRefs,
                                              List<float[]> trainingRefs) {
        return compute(FeatureEncoder.bundled(), samples, subjectRefs, trainingRefs);
    }

    /** {@link #compute(List, List, List)} with another encoder. */
    public static Map<String, Double> compute(FeatureEncoder encoder, List<float[]> samples, List<float[]> subjectRefs,
                                              List<float[]> trainingRefs) {
        if (samples.isEmpty() || subjectRefs.isEmpty() || trainingRefs.isEmpty()) {
            throw new IllegalArgumentException("metrics need at least one sample, subject reference and training "
                    + "reference (got " + samples.size() + ", " + subjectRefs.size() + ", " + trainingRefs.size() + ")");
        }
        // one batch through the encoder: the samples, then the references
        List<float[]> all = new ArrayList<>(samples);
        all.addAll(subjectRefs);
        float[][] f = encoder.features(all);
        float[][] sampleFeatures = java.util.Arrays.copyOfRange(f, 0, samples.size());
        float[][] refFeatures = java.util.Arrays.copyOfRange(f, samples.size(), f.length);
        double[] fid = FeatureMetrics.fidelities(sampleFeatures, refFeatures);
        double mean = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : fid) {
            mean += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double pixelFidelity = 0;
        for (double v : ImageMetrics.fidelities(samples, subjectRefs)) {
            pixelFidelity += v;
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
        out.put("pixel_fidelity", pixelFidelity / samples.size());
        out.put("noise", noise / samples.size());
        out.put("hf_ratio", hf / samples.size());
        out.put("diversity", FeatureMetrics.diversity(sampleFeatures));
        out.put("pixel_diversity", ImageMetrics.diversity(samples));
        out.put("memorization", ImageMetrics.memorization(samples, trainingRefs));
        return out;
    }
}
