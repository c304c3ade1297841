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
     * @param clipX0 clamp each step's x0 estimate to [-1, 1] (the evals do, see FineTuner.CLIP_X0; it can
     *               soften "image + noise" samples, so issue 3 compares with ancestral sampling)
     */
    public List<float[]> ddim(UNet net, WeightSource w, NDManager manager, List<float[]> noises, int[] labels,
                              int steps, boolean clipX0) {
        int b = labels.length;
        int len = Images.LENGTH;
        float[] x = new float[b * len];
        for (int i = 0; i < b; i++) {
            System.arraycopy(noises.get(i), 0, x, i * len, len);
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
            double s1p = Math.sqrt(1 - abPrev);
            for (int j = 0; j < x.length; j++) {
                double est = (x[j] - s1 * eps[j]) / sa;
                if (clipX0) {
                    est = Math.max(-1, Math.min(1, est));
                }
                x0[j] = (float) est;
                x[j] = (float) (sp * est + s1p * eps[j]);
            }
        }
        List<float[]> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            float[] img = new float[len];
            for (int j = 0; j < len; j++) {
                img[j] = Math.max(-1f, Math.min(1f, x0[i * len + j]));
            }
            out.add(img);
        }
        return out;
    }
}
