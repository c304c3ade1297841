package io.bayesweep.model.metrics;

/**
 * The one-shot Gaussian model of what a fine-tuned diffusion model has learned: its samples are
 * {@code x_gen = mu + sigma1 * z} with mu the training image. For such data the ideal denoiser's x0
 * prediction is linear in the noisy input,
 * <pre>
 *   x0_hat - mu = k (x_t - sqrt(abar) mu),   k = sigma1^2 sqrt(abar) / (abar sigma1^2 + 1 - abar),
 * </pre>
 * so measuring the gain {@code k} of the real model's x0 predictions around the training image gives
 * {@code sigma1}. A wide learned distribution (the class) gives k near 1/sqrt(abar); a distribution
 * collapsed onto the training image gives k near 0. A narrowing sigma1 during fine-tuning is the
 * corruption-stage paper's explanation of the stage.
 */
public final class OneShotGaussian {
    /** Above this the estimate says "at least as wide as the whole image range"; it is capped there. */
    public static final double MAX_SIGMA = 4.0;

    private OneShotGaussian() {
    }

    /** Least-squares gain k of {@code x0_hat - mu = k (x_t - sqrt(abar) mu)} over the given vectors. */
    public static double gain(float[] x0Hat, float[] mu, float[] xt, double alphaBar) {
        double sa = Math.sqrt(alphaBar);
        double num = 0;
        double den = 0;
        for (int i = 0; i < mu.length; i++) {
            double u = xt[i] - sa * mu[i];
            num += (x0Hat[i] - mu[i]) * u;
            den += u * u;
        }
        return den == 0 ? 0 : num / den;
    }

    /** sigma1 from the gain: sigma1^2 = k (1 - abar) / (sqrt(abar) - k abar), in [0, MAX_SIGMA]. */
    public static double sigmaFromGain(double k, double alphaBar) {
        if (k <= 0) {
            return 0;
        }
        double den = Math.sqrt(alphaBar) - k * alphaBar;
        if (den <= 0) {
            return MAX_SIGMA;
        }
        return Math.min(MAX_SIGMA, Math.sqrt(k * (1 - alphaBar) / den));
    }
}
