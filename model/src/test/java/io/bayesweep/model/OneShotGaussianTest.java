package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bayesweep.model.metrics.OneShotGaussian;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OneShotGaussianTest {

    /** The ideal denoiser of N(mu, s^2 I) data, applied to x_t: what a model that learned exactly that gives. */
    private static float[] idealX0(float[] mu, float[] xt, double s, double ab) {
        double k = s * s * Math.sqrt(ab) / (ab * s * s + 1 - ab);
        float[] out = new float[mu.length];
        for (int i = 0; i < mu.length; i++) {
            out[i] = (float) (mu[i] + k * (xt[i] - Math.sqrt(ab) * mu[i]));
        }
        return out;
    }

    @Test
    void recoversTheSpreadOfAGaussianFromItsIdealDenoiser() {
        Random rnd = new Random(3);
        float[] mu = new float[768];
        float[] xt = new float[768];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        for (double ab : new double[] {0.9, 0.5, 0.2}) {
            for (double s : new double[] {0.01, 0.1, 0.5, 1.5}) {
                for (int i = 0; i < mu.length; i++) {
                    xt[i] = (float) (Math.sqrt(ab) * mu[i] + Math.sqrt(1 - ab) * rnd.nextGaussian());
                }
                double k = OneShotGaussian.gain(idealX0(mu, xt, s, ab), mu, xt, ab);
                assertThat(OneShotGaussian.sigmaFromGain(k, ab)).as("s=%s ab=%s", s, ab).isCloseTo(s, within(s * 0.01));
            }
        }
    }

    @Test
    void aCopyingModelHasZeroSpreadAndAnUnboundedOneIsCapped() {
        float[] mu = {0.5f, -0.5f, 0.25f};
        float[] xt = {0.9f, 0.1f, -0.3f};
        // predicting the training image whatever the input: the distribution collapsed onto it
        assertThat(OneShotGaussian.sigmaFromGain(OneShotGaussian.gain(mu.clone(), mu, xt, 0.5), 0.5)).isZero();
        assertThat(OneShotGaussian.sigmaFromGain(10.0, 0.5)).isEqualTo(OneShotGaussian.MAX_SIGMA);
        assertThat(OneShotGaussian.gain(mu, mu, new float[] {0.5f * (float) Math.sqrt(0.5), -0.5f * (float) Math.sqrt(0.5),
                0.25f * (float) Math.sqrt(0.5)}, 0.5)).isCloseTo(0.0, within(1e-6));
    }
}
