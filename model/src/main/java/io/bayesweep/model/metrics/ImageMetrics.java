package io.bayesweep.model.metrics;

import io.bayesweep.model.emoji.Images;
import java.util.List;

/**
 * No-reference and reference image metrics on {@link Images} arrays (CHW floats in [-1, 1]).
 * All metrics are computed on values mapped to [0, 1].
 */
public final class ImageMetrics {
    private static final int S = Images.SIZE;
    private static final int P = Images.PIXELS;

    private static final double[] COS = new double[S];
    private static final double[] SIN = new double[S];

    static {
        for (int k = 0; k < S; k++) {
            COS[k] = StrictMath.cos(2 * Math.PI * k / S);
            SIN[k] = StrictMath.sin(2 * Math.PI * k / S);
        }
    }

    private ImageMetrics() {
    }

    /** Luminance in [0, 1] (Rec. 601 weights), row-major 16x16. */
    public static double[] gray(float[] img) {
        double[] g = new double[P];
        for (int i = 0; i < P; i++) {
            double r = (img[i] + 1) / 2;
            double gr = (img[P + i] + 1) / 2;
            double b = (img[2 * P + i] + 1) / 2;
            g[i] = 0.299 * r + 0.587 * gr + 0.114 * b;
        }
        return g;
    }

    /**
     * Immerkaer's fast noise-variance estimate ("Fast Noise Variance Estimation", 1996) on the luminance:
     * sigma = sqrt(pi/2) / (6 (W-2)(H-2)) * sum |I * N| with the 3x3 Laplacian-difference mask
     * N = [[1,-2,1],[-2,4,-2],[1,-2,1]]. Returns the noise standard deviation in [0, 1] units.
     */
    public static double immerkaerNoise(float[] img) {
        double[] g = gray(img);
        double sum = 0;
        for (int y = 1; y < S - 1; y++) {
            for (int x = 1; x < S - 1; x++) {
                double v = g[(y - 1) * S + x - 1] - 2 * g[(y - 1) * S + x] + g[(y - 1) * S + x + 1]
                        - 2 * g[y * S + x - 1] + 4 * g[y * S + x] - 2 * g[y * S + x + 1]
                        + g[(y + 1) * S + x - 1] - 2 * g[(y + 1) * S + x] + g[(y + 1) * S + x + 1];
                sum += Math.abs(v);
            }
        }
        return Math.sqrt(Math.PI / 2) * sum / (6.0 * (S - 2) * (S - 2));
    }

    /**
     * Share of the luminance's spectral energy (DC excluded) at radial frequencies above a quarter of the
     * sampling rate (|f| > N/4 in DFT bins): near 0 for smooth images, about 0.6-0.8 for white noise.
     * Returns 0 for a constant image.
     */
    public static double highFrequencyRatio(float[] img) {
        double[] g = gray(img);
        double high = 0;
        double total = 0;
        for (int u = 0; u < S; u++) {
            for (int v = 0; v < S; v++) {
                if (u == 0 && v == 0) {
                    continue;
                }
                double re = 0;
                double im = 0;
                for (int y = 0; y < S; y++) {
                    for (int x = 0; x < S; x++) {
                        int k = (u * y + v * x) % S;
                        re += g[y * S + x] * COS[k];
                        im -= g[y * S + x] * SIN[k];
                    }
                }
                double e = re * re + im * im;
                int fu = Math.min(u, S - u);
                int fv = Math.min(v, S - v);
                total += e;
                if (Math.sqrt(fu * fu + fv * fv) > S / 4.0) {
                    high += e;
                }
            }
        }
        return total < 1e-12 ? 0 : high / total;
    }

    /** Cosine similarity of the two images' mean-centred pixel vectors (all channels). */
    public static double centredCosine(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i] - ma;
            double y = b[i] - mb;
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        if (na < 1e-12 || nb < 1e-12) {
            return 0;
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Pixel RMSE between two images in [0, 1] units. */
    public static double rmse(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] - b[i]) / 2.0;
            s += d * d;
        }
        return Math.sqrt(s / a.length);
    }

    /** Mean pairwise pixel RMSE between samples (0 when all are identical; 0 for fewer than 2). */
    public static double diversity(List<float[]> samples) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i + 1; j < samples.size(); j++) {
                s += rmse(samples.get(i), samples.get(j));
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }

    /** Mean over samples of the RMSE to the nearest reference (0 when every sample copies a reference). */
    public static double memorization(List<float[]> samples, List<float[]> references) {
        double s = 0;
        for (float[] x : samples) {
            double best = Double.MAX_VALUE;
            for (float[] r : references) {
                best = Math.min(best, rmse(x, r));
            }
            s += best;
        }
        return s / samples.size();
    }

    /** Per sample: mean centred cosine similarity to the references. */
    public static double[] fidelities(List<float[]> samples, List<float[]> references) {
        double[] out = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            double s = 0;
            for (float[] r : references) {
                s += centredCosine(samples.get(i), r);
            }
            out[i] = s / references.size();
        }
        return out;
    }
}
