package io.bayesweep.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.bayesweep.model.emoji.Images;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * DDPM noise schedule (T = 1000, linear betas 1e-4..0.02, epsilon prediction) and a deterministic DDIM
 * sampler (eta = 0). Noise, timesteps and the sampler's arithmetic live in plain Java arrays, so that they
 * are exactly reproducible from a seed and cost nothing next to the network.
 */
public final class Diffusion {
    public static final int T = 1000;
    private final double[] alphaBar = new double[T];

    public Diffusion() {
        double ab = 1.0;
        for (int t = 0; t < T; t++) {
            double beta = 1e-4 + (0.02 - 1e-4) * t / (T - 1);
            ab *= 1.0 - beta;
            alphaBar[t] = ab;
        }
    }

    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /** x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, per image of the batch. */
    public float[] noisy(float[] x0, float[] eps, int[] t) {
        int len = Images.LENGTH;
        float[] out = new float[x0.length];
        for (int i = 0; i < t.length; i++) {
            float a = (float) Math.sqrt(alphaBar[t[i]]);
            float s = (float) Math.sqrt(1 - alphaBar[t[i]]);
            for (int j = i * len; j < (i + 1) * len; j++) {
                out[j] = a * x0[j] + s * eps[j];
            }
        }
        return out;
    }

    /** Standard normal floats from {@code rnd}. */
    public static float[] gaussian(Random rnd, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) rnd.nextGaussian();
        }
        return out;
    }

    /** The starting noise of sample {@code i} of a fixed-seed set: independent of batch composition. */
    public static float[] sampleNoise(long seed) {
        return gaussian(new Random(seed), Images.LENGTH);
    }

    /**
     * DDIM (eta = 0) from the given starting noises, one image per label. Returns images clamped to [-1, 1].
     *
     * @param clipX0 clamp each step's x0 estimate to [-1, 1] (it can soften "image + noise" samples, which is
     *               why {@link #ancestral} exists to compare with)
     */
    public List<float[]> ddim(UNet net, WeightSource w, NDManager manager, List<float[]> noises, int[] labels,
                              int steps, boolean clipX0) {
        return sample(net, w, manager, noises, labels, steps, 0.0, clipX0, 0L);
    }

    /**
     * Ancestral sampling (DDPM's stochastic sampler; DDIM with eta = 1, which for {@code steps = T} is exactly
     * the DDPM reverse process). The fresh noise of every step comes from {@code noiseSeed} and the sample's
     * index, so a call is deterministic. No x0 clipping.
     */
    public List<float[]> ancestral(UNet net, WeightSource w, NDManager manager, List<float[]> noises, int[] labels,
                                   int steps, long noiseSeed) {
        return sample(net, w, manager, noises, labels, steps, 1.0, false, noiseSeed);
    }

    private List<float[]> sample(UNet net, WeightSource w, NDManager manager, List<float[]> noises, int[] labels,
                                 int steps, double eta, boolean clipX0, long noiseSeed) {
        if (steps < 1 || steps > T) {
            throw new IllegalArgumentException("sampling steps must be 1.." + T + ", got " + steps);
        }
        int b = labels.length;
        int len = Images.LENGTH;
        float[] x = new float[b * len];
        for (int i = 0; i < b; i++) {
            System.arraycopy(noises.get(i), 0, x, i * len, len);
        }
        Random[] fresh = new Random[b];
        for (int i = 0; i < b; i++) {
            fresh[i] = new Random(noiseSeed * 1_000_003L + i);
        }
        int[] ts = new int[steps];
        for (int i = 0; i < steps; i++) {
            ts[i] = (int) Math.round((double) (T - 1) * (steps - 1 - i) / Math.max(1, steps - 1));
        }
        float[] x0 = new float[b * len];
        for (int k = 0; k < steps; k++) {
            int t = ts[k];
            double ab = alphaBar[t];
            double abPrev = k + 1 < steps ? alphaBar[ts[k + 1]] : 1.0;
            int[] tt = new int[b];
            java.util.Arrays.fill(tt, t);
            float[] eps;
            try (NDScope scope = new NDScope()) {
                NDArray xs = Nd.create(manager, x, new Shape(b, Images.CHANNELS, Images.SIZE, Images.SIZE));
                eps = net.forward(w, xs, tt, labels).toFloatArray();
            }
            double sa = Math.sqrt(ab);
            double s1 = Math.sqrt(1 - ab);
            double sp = Math.sqrt(abPrev);
            // DDIM's sigma_t; eta = 1 gives the DDPM posterior variance for this stride
            double sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab) * (1 - ab / abPrev));
            double dir = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
            for (int j = 0; j < x.length; j++) {
                double est = (x[j] - s1 * eps[j]) / sa;
                if (clipX0) {
                    est = Math.max(-1, Math.min(1, est));
                }
                x0[j] = (float) est;
                double next = sp * est + dir * eps[j];
                if (sigma > 0) {
                    next += sigma * fresh[j / len].nextGaussian();
                }
                x[j] = (float) next;
            }
        }
        List<float[]> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            float[] img = new float[len];
            for (int j = 0; j < len; j++) {
                img[j] = Math.max(-1f, Math.min(1f, x[i * len + j]));
            }
            out.add(img);
        }
        return out;
    }
}
