package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bayesweep.model.nn.BayesKl;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BayesKlTest {
    @Test
    void closedFormAgreesWithMonteCarlo() {
        Random rnd = new Random(1);
        int n = 5;
        float[] mu = new float[n];
        float[] sigma = new float[n];
        float[] mu0 = new float[n];
        for (int i = 0; i < n; i++) {
            mu[i] = (float) rnd.nextGaussian() * 0.1f;
            mu0[i] = (float) rnd.nextGaussian() * 0.1f;
            sigma[i] = 0.02f + 0.05f * rnd.nextFloat();
        }
        double s0 = 0.05;
        double closed = BayesKl.kl(mu, sigma, mu0, s0);
        // MC estimate of E_q[log q(w) - log p(w)]
        int draws = 400_000;
        double acc = 0;
        for (int d = 0; d < draws; d++) {
            for (int i = 0; i < n; i++) {
                double e = rnd.nextGaussian();
                double w = mu[i] + sigma[i] * e;
                double logq = -Math.log(sigma[i]) - 0.5 * e * e;
                double z = (w - mu0[i]) / s0;
                double logp = -Math.log(s0) - 0.5 * z * z;
                acc += logq - logp;
            }
        }
        double mc = acc / draws;
        assertThat(closed).isPositive();
        assertThat(mc).isCloseTo(closed, within(0.02 * closed + 0.01));
        // identical distributions: zero
        assertThat(BayesKl.kl(mu0, new float[] {0.05f, 0.05f, 0.05f, 0.05f, 0.05f}, mu0, 0.05)).isCloseTo(0, within(1e-6));
    }

    @Test
    void softplusInverts() {
        for (double s : new double[] {1e-4, 1e-3, 0.05, 1.0}) {
            assertThat(BayesKl.softplus(BayesKl.inverseSoftplus(s))).isCloseTo(s, within(s * 1e-9));
        }
    }
}
