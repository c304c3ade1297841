package io.bayesweep.model.encoder;

/**
 * Fidelity and diversity in the feature space of a {@link FeatureEncoder} (docs/encoder.md), the project's
 * DINO-style subject fidelity and sample diversity.
 */
public final class FeatureMetrics {
    private FeatureMetrics() {
    }

    /** Per sample: the mean cosine similarity of its feature to the references' features. */
    public static double[] fidelities(float[][] samples, float[][] references) {
        if (references.length == 0) {
            throw new IllegalArgumentException("fidelity needs at least one reference image");
        }
        double[] out = new double[samples.length];
        for (int i = 0; i < samples.length; i++) {
            double s = 0;
            for (float[] r : references) {
                s += FeatureEncoder.cosine(samples[i], r);
            }
            out[i] = s / references.length;
        }
        return out;
    }

    /** Mean pairwise cosine distance (1 - cosine) between the samples' features; 0 for fewer than 2 samples. */
    public static double diversity(float[][] samples) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < samples.length; i++) {
            for (int j = i + 1; j < samples.length; j++) {
                s += Math.max(0, 1 - FeatureEncoder.cosine(samples[i], samples[j]));
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }
}
