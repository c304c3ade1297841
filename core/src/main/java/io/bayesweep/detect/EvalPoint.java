package io.bayesweep.detect;

/**
 * The metrics of one eval step of one trial, as the corruption-stage detector reads them.
 * {@link Double#NaN} marks a metric that was not reported at this step; the detector treats any
 * non-finite value (NaN, infinities) as missing.
 *
 * @param step         the training step of the eval (strictly increasing within a trial)
 * @param fidelity     cosine similarity of samples to the references, in [-1, 1]
 * @param noise        no-reference noise estimate of the samples (any positive scale)
 * @param diversity    mean pairwise distance between samples (optional; not used by detector v1)
 * @param memorization distance of samples to the nearest training reference; falls toward 0 as the
 *                     model copies (optional; used for the OVERFIT state)
 * @param sigma1       spread of the learned distribution around the training image; narrows as the
 *                     model collapses onto it (optional; used for the OVERFIT state)
 * @param loss         training loss (optional; not used by detector v1)
 */
public record EvalPoint(long step, double fidelity, double noise, double diversity, double memorization,
                        double sigma1, double loss) {

    /** A point with only the two metrics the detector needs; the optional ones are missing. */
    public static EvalPoint of(long step, double fidelity, double noise) {
        return new EvalPoint(step, fidelity, noise, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    boolean hasFidelity() {
        return Double.isFinite(fidelity);
    }

    boolean hasNoise() {
        return Double.isFinite(noise);
    }
}
