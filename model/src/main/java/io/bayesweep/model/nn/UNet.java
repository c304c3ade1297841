package io.bayesweep.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.bayesweep.model.emoji.Images;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small class-conditional UNet for 3x16x16 images, written with DJL's functional ops so that every
 * weight can be swapped for a sampled (Bayesian) or LoRA-adapted one through a {@link WeightSource}.
 *
 * <pre>
 * in conv 3->32 | res 32->32 @16 | down | res 32->64 @8 | down | res 64->128, self-attention, res 128->128 @4
 *   | up, concat | res 192->64 @8 | up, concat | res 96->32 @16 | GroupNorm, SiLU, conv 32->3
 * </pre>
 * Conditioning: sinusoidal time features -> MLP (128) plus a class-embedding row, added inside every
 * residual block. Predicts the noise epsilon.
 *
 * <p>Layer groups (the names the sweep's {@code bayesian_layers} uses): {@code conv} (every convolution
 * kernel), {@code attn} (q/k/v and output projections of the self-attention), {@code norm} (GroupNorm
 * scales), {@code time} (time-embedding MLP and the per-block projections of the conditioning vector),
 * {@code emb} (class-embedding table, including the spare rows for new subjects) and, with LoRA,
 * {@code lora_a} / {@code lora_b}. Only weights (not biases or norm shifts) can be Bayesian.
 */
public final class UNet {
    public static final int C1 = 32;
    public static final int C2 = 64;
    /** Widest at the lowest resolution, where capacity is cheapest (4x4) and matters most for a base model. */
    public static final int C3 = 128;
    public static final int EMB = 128;
    public static final int TDIM = 32;
    public static final int GROUPS = 8;

    public static final List<String> GROUP_NAMES = List.of("conv", "attn", "norm", "time", "emb", "lora_b");

    /** A weight is what can be Bayesian; a bias (including norm shifts) never is. */
    public enum Kind { WEIGHT, BIAS }

    public record ParamSpec(String name, long[] shape, String group, Kind kind, int fanIn, String init,
                            boolean loraTarget) implements ParamInit {
    }

    private final int rows;
    private final List<ParamSpec> specs;
    private final Map<String, ParamSpec> byName;

    /**
     * @param rows rows of the class-embedding table: the pretraining classes, then one spare row per
     *             few-shot subject
     */
    public UNet(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("a UNet needs at least one class-embedding row, got " + rows);
        }
        this.rows = rows;
        List<ParamSpec> s = new ArrayList<>();
        s.add(new ParamSpec("time.fc1.w", new long[] {EMB, TDIM}, "time", Kind.WEIGHT, TDIM, "normal", false));
        s.add(new ParamSpec("time.fc1.b", new long[] {EMB}, "time", Kind.BIAS, 0, "zero", false));
        s.add(new ParamSpec("time.fc2.w", new long[] {EMB, EMB}, "time", Kind.WEIGHT, EMB, "normal", false));
        s.add(new ParamSpec("time.fc2.b", new long[] {EMB}, "time", Kind.BIAS, 0, "zero", false));
        s.add(new ParamSpec("emb.table", new long[] {rows, EMB}, "emb", Kind.WEIGHT, 1, "normal", false));
        conv(s, "in.conv", 3, C1, 3, "normal");
        res(s, "d1", C1, C1);
        conv(s, "down1", C1, C1, 3, "normal");
        res(s, "d2", C1, C2);
        conv(s, "down2", C2, C2, 3, "normal");
        res(s, "mid1", C2, C3);
        norm(s, "attn.norm", C3);
        s.add(new ParamSpec("attn.qkv.w", new long[] {3 * C3, C3}, "attn", Kind.WEIGHT, C3, "normal", true));
        s.add(new ParamSpec("attn.qkv.b", new long[] {3 * C3}, "attn", Kind.BIAS, 0, "zero", false));
        s.add(new ParamSpec("attn.proj.w", new long[] {C3, C3}, "attn", Kind.WEIGHT, C3, "zero", true));
        s.add(new ParamSpec("attn.proj.b", new long[] {C3}, "attn", Kind.BIAS, 0, "zero", false));
        res(s, "mid2", C3, C3);
        res(s, "u2", C3 + C2, C2);
        res(s, "u1", C2 + C1, C1);
        norm(s, "out.norm", C1);
        conv(s, "out.conv", C1, 3, 3, "zero");
        this.specs = Collections.unmodifiableList(s);
        Map<String, ParamSpec> m = new LinkedHashMap<>();
        for (ParamSpec p : s) {
            m.put(p.name(), p);
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    private static void conv(List<ParamSpec> s, String p, int cin, int cout, int k, String init) {
        s.add(new ParamSpec(p + ".w", new long[] {cout, cin, k, k}, "conv", Kind.WEIGHT, cin * k * k, init, true));
        s.add(new ParamSpec(p + ".b", new long[] {cout}, "conv", Kind.BIAS, 0, "zero", false));
    }

    private static void norm(List<ParamSpec> s, String p, int c) {
        s.add(new ParamSpec(p + ".g", new long[] {c}, "norm", Kind.WEIGHT, 0, "one", false));
        s.add(new ParamSpec(p + ".b", new long[] {c}, "norm", Kind.BIAS, 0, "zero", false));
    }

    private static void res(List<ParamSpec> s, String p, int cin, int cout) {
        norm(s, p + ".norm1", cin);
        conv(s, p + ".conv1", cin, cout, 3, "normal");
        s.add(new ParamSpec(p + ".time.w", new long[] {cout, EMB}, "time", Kind.WEIGHT, EMB, "normal", false));
        s.add(new ParamSpec(p + ".time.b", new long[] {cout}, "time", Kind.BIAS, 0, "zero", false));
        norm(s, p + ".norm2", cout);
        conv(s, p + ".conv2", cout, cout, 3, "normal");
        if (cin != cout) {
            conv(s, p + ".skip", cin, cout, 1, "normal");
        }
    }

    public int rows() {
        return rows;
    }

    public List<ParamSpec> specs() {
        return specs;
    }

    public ParamSpec spec(String name) {
        ParamSpec p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return p;
    }

    public long parameterCount() {
        return specs.stream().mapToLong(ParamSpec::size).sum();
    }

    /** Fresh random weights, deterministic from {@code seed}. */
    public Map<String, TensorFile.Tensor> init(long seed) {
        return ParamInit.initialise(specs, seed, 1.0);
    }

    /** Convolutions with fewer output channels run padded to this many (see {@link #conv}). */
    static final int SAFE_CONV_CHANNELS = 32;

    private static NDArray silu(NDArray x) {
        return Layers.silu(x);
    }

    private static NDArray groupNorm(NDArray x, NDArray gamma, NDArray beta) {
        return Layers.groupNorm(x, gamma, beta, GROUPS);
    }

    private static NDArray conv(WeightSource w, String p, NDArray x, int stride) {
        return convolve(x, w.get(p + ".w"), w.get(p + ".b"), stride);
    }

    /** A k x k convolution with "same" padding. */
    static NDArray convolve(NDArray x, NDArray weight, NDArray bias, int stride) {
        long k = weight.getShape().get(2);
        long cout = weight.getShape().get(0);
        Shape strides = new Shape(stride, stride);
        Shape padding = new Shape(k / 2, k / 2);
        if (cout >= SAFE_CONV_CHANNELS) {
            return Conv2d.conv2d(x, weight, bias, strides, padding).singletonOrThrow();
        }
        // libtorch 2.7.1's AVX2 CPU kernel for the input gradient of a convolution with few output channels
        // sometimes returns NaN (1 to 12 calls in 2,000-4,000 for 3 channels on the 2-core AMD EPYC CI machines;
        // never with ATEN_CPU_CAPABILITY=default or with 32 channels: ConvolutionNaNTest, docs/model.md). It turned whole trials into "loss
        // diverged" at random steps. So such a convolution runs with zero filters added up to 32 output channels
        // and keeps its own: the same values, and the added filters are constants that take no gradient.
        NDManager m = x.getManager();
        NDArray paddedWeight = weight.concat(
                m.zeros(new Shape(SAFE_CONV_CHANNELS - cout, weight.getShape().get(1), k, k)), 0);
        NDArray paddedBias = bias.concat(m.zeros(new Shape(SAFE_CONV_CHANNELS - cout)), 0);
        NDArray all = Conv2d.conv2d(x, paddedWeight, paddedBias, strides, padding).singletonOrThrow();
        return all.split(new long[] {cout}, 1).get(0);
    }

    private static NDArray norm(WeightSource w, String p, NDArray x) {
        return groupNorm(x, w.get(p + ".g"), w.get(p + ".b"));
    }

    private static NDArray resBlock(WeightSource w, String p, NDArray x, NDArray condAct) {
        NDArray h = conv(w, p + ".conv1", silu(norm(w, p + ".norm1", x)), 1);
        NDArray t = Linear.linear(condAct, w.get(p + ".time.w"), w.get(p + ".time.b")).singletonOrThrow();
        h = h.add(t.reshape(t.getShape().get(0), t.getShape().get(1), 1, 1));
        h = conv(w, p + ".conv2", silu(norm(w, p + ".norm2", h)), 1);
        NDArray skip = x.getShape().get(1) == h.getShape().get(1) ? x : conv(w, p + ".skip", x, 1);
        return skip.add(h);
    }

    private static NDArray attention(WeightSource w, NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long n = s.get(2) * s.get(3);
        NDArray h = norm(w, "attn.norm", x).reshape(b, c, n).transpose(0, 2, 1); // (b, n, c)
        NDArray qkv = Linear.linear(h, w.get("attn.qkv.w"), w.get("attn.qkv.b")).singletonOrThrow();
        NDList parts = qkv.split(3, 2);
        NDArray att = parts.get(0).matMul(parts.get(1).transpose(0, 2, 1)).mul(Nd.scalar(x.getManager(), 1.0 / Math.sqrt(c))).softmax(2);
        NDArray o = att.matMul(parts.get(2));
        o = Linear.linear(o, w.get("attn.proj.w"), w.get("attn.proj.b")).singletonOrThrow();
        return x.add(o.transpose(0, 2, 1).reshape(s));
    }

    private static NDArray upsample(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    /** Sinusoidal features of the timesteps, (batch, TDIM). */
    public static float[] timeFeatures(int[] t) {
        int half = TDIM / 2;
        float[] out = new float[t.length * TDIM];
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < half; j++) {
                double f = StrictMath.exp(-StrictMath.log(10000.0) * j / half);
                out[i * TDIM + j] = (float) StrictMath.sin(t[i] * f);
                out[i * TDIM + half + j] = (float) StrictMath.cos(t[i] * f);
            }
        }
        return out;
    }

    /** One-hot rows for the class-embedding lookup, (batch, rows). */
    public float[] oneHot(int[] labels) {
        float[] out = new float[labels.length * rows];
        for (int i = 0; i < labels.length; i++) {
            out[i * rows + labels[i]] = 1f;
        }
        return out;
    }

    /**
     * Predicts the noise in {@code x} (batch, 3, 16, 16) at timesteps {@code t} for class rows {@code labels}.
     * Every array made here belongs to {@code x}'s manager or the caller's NDScope.
     */
    public NDArray forward(WeightSource w, NDArray x, int[] t, int[] labels) {
        NDManager m = x.getManager();
        int b = t.length;
        NDArray tf = Nd.create(m, timeFeatures(t), new Shape(b, TDIM));
        NDArray oh = Nd.create(m, oneHot(labels), new Shape(b, rows));
        NDArray temb = Linear.linear(tf, w.get("time.fc1.w"), w.get("time.fc1.b")).singletonOrThrow();
        temb = Linear.linear(silu(temb), w.get("time.fc2.w"), w.get("time.fc2.b")).singletonOrThrow();
        NDArray cond = oh.matMul(w.get("emb.table")).add(temb);
        NDArray condAct = silu(cond);

        NDArray h0 = conv(w, "in.conv", x, 1);
        NDArray h1 = resBlock(w, "d1", h0, condAct);                         // 32 @16
        NDArray h2 = resBlock(w, "d2", conv(w, "down1", h1, 2), condAct);    // 64 @8
        NDArray h = resBlock(w, "mid1", conv(w, "down2", h2, 2), condAct);   // 128 @4
        h = attention(w, h);
        h = resBlock(w, "mid2", h, condAct);
        h = resBlock(w, "u2", NDArrays.concat(upsample(h), h2), condAct);    // 64 @8
        h = resBlock(w, "u1", NDArrays.concat(upsample(h), h1), condAct);    // 32 @16
        return conv(w, "out.conv", silu(norm(w, "out.norm", h)), 1);
    }

    /** Channel concatenation. */
    static final class NDArrays {
        private NDArrays() {
        }

        static NDArray concat(NDArray a, NDArray b) {
            return a.concat(b, 1);
        }
    }

    /** Number of floats of an image batch. */
    public static int imageLength() {
        return Images.LENGTH;
    }
}
