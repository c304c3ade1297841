package io.bayesweep.model.nn;

/**
 * Closed-form KL divergence between diagonal Gaussians, as used by the BNN objective:
 * KL(N(mu, s^2) || N(mu0, s0^2)) = (s^2 + (mu - mu0)^2) / (2 s0^2) - log s + log s0 - 1/2 per weight.
 */
public final class BayesKl {
    private BayesKl() {
    }

    /** Summed over the arrays' elements (plain Java; the NDArray version lives in {@link ModelState}). */
    public static double kl(float[] mu, float[] sigma, float[] mu0, double sigma0) {
        double sum = 0;
        for (int i = 0; i < mu.length; i++) {
            double d = mu[i] - mu0[i];
            sum += (sigma[i] * (double) sigma[i] + d * d) / (2 * sigma0 * sigma0) - StrictMath.log(sigma[i])
                    + StrictMath.log(sigma0) - 0.5;
        }
        return sum;
    }

    /** rho such that softplus(rho) = sigma. */
    public static double inverseSoftplus(double sigma) {
        return sigma > 20 ? sigma : StrictMath.log(StrictMath.expm1(sigma));
    }

    public static double softplus(double rho) {
        return rho > 20 ? rho : StrictMath.log1p(StrictMath.exp(rho));
    }
}
