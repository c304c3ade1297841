package io.bayesweep.model.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import io.bayesweep.model.emoji.Images;
import io.bayesweep.model.nn.Nd;
import io.bayesweep.model.nn.ParamInit;
import io.bayesweep.model.nn.Layers;
import io.bayesweep.model.nn.TensorFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small frozen image encoder for {@link Images} arrays (3x16x16, CHW, [-1, 1]): the project's stand-in for
 * DINO/CLIP features when measuring the fidelity and diversity of samples (docs/encoder.md). Trained by
 * {@link TrainEncoder} to recognise each of the 1,906 emoji concepts whichever vendor drew it, so its features
 * are concept-discriminative and (mostly) vendor-invariant.
 *
 * <pre>
 * conv 3->32 @16 | conv/2 32->64 @8 | conv 64->64 @8 (+ skip) | conv/2 64->128 @4 | conv 128->128 @4 (+ skip)
 *   | global average pool | linear 128->128 | L2-normalise
 * </pre>
 * Every conv is 3x3, followed by GroupNorm(8) and SiLU. Written with DJL's functional ops like the UNet, so
 * training and inference share {@link #forward}. The features of {@link #features} are computed on the CPU in
 * one fixed order, with gradients off: the same images give bit-identical features.
 *
 * <p>The shipped encoder is the classpath resource {@value #RESOURCE} ({@link #bundled}, loaded once).
 */
public final class FeatureEncoder {
    public static final String RESOURCE = "/io/bayesweep/model/encoder.bsw";
    /** Written into the file's metadata; a file of another architecture is rejected. */
    public static final String ARCH = "cnn-32-64-64-128-128-gap-linear128-l2";
    public static final int DIM = 128;
    public static final int GROUPS = 8;
    static final String REGENERATE = "regenerate it with io.bayesweep.model.encoder.TrainEncoder (docs/encoder.md)";
    private static final int CHUNK = 256;

    /** One weight tensor of the encoder. */
    public record ParamSpec(String name, long[] shape, int fanIn, String init) implements ParamInit {
    }

    /** (name, in channels, out channels, stride, residual) of the conv layers, in order. */
    private record Layer(String name, int cin, int cout, int stride, boolean residual) {
    }

    private static final List<Layer> LAYERS = List.of(
            new Layer("c1", 3, 32, 1, false),
            new Layer("c2", 32, 64, 2, false),
            new Layer("c3", 64, 64, 1, true),
            new Layer("c4", 64, 128, 2, false),
            new Layer("c5", 128, 128, 1, true));

    private static final List<ParamSpec> SPECS;

    static {
        List<ParamSpec> s = new ArrayList<>();
        for (Layer l : LAYERS) {
            s.add(new ParamSpec(l.name() + ".w", new long[] {l.cout(), l.cin(), 3, 3}, l.cin() * 9, "normal"));
            s.add(new ParamSpec(l.name() + ".b", new long[] {l.cout()}, 0, "zero"));
            s.add(new ParamSpec(l.name() + ".g", new long[] {l.cout()}, 0, "one"));
            s.add(new ParamSpec(l.name() + ".beta", new long[] {l.cout()}, 0, "zero"));
        }
        int last = LAYERS.get(LAYERS.size() - 1).cout();
        s.add(new ParamSpec("proj.w", new long[] {DIM, last}, last, "normal"));
        s.add(new ParamSpec("proj.b", new long[] {DIM}, 0, "zero"));
        SPECS = Collections.unmodifiableList(s);
    }

    private static volatile FeatureEncoder bundled;

    private final Map<String, String> meta;
    private final Map<String, TensorFile.Tensor> tensors;
    private final NDManager manager;
    private final Map<String, NDArray> weights = new LinkedHashMap<>();

    /**
     * @param weights every tensor of {@link #specs()} (more are ignored)
     * @param meta    must name {@link #ARCH} under {@code arch}
     * @throws IllegalArgumentException when a weight is missing or mis-shaped or the architecture differs
     */
    public FeatureEncoder(Map<String, TensorFile.Tensor> weights, Map<String, String> meta) {
        if (!ARCH.equals(meta.get("arch"))) {
            throw new IllegalArgumentException("feature encoder file is for architecture '" + meta.get("arch")
                    + "', not '" + ARCH + "'; " + REGENERATE);
        }
        Map<String, TensorFile.Tensor> kept = new LinkedHashMap<>();
        for (ParamSpec p : SPECS) {
            TensorFile.Tensor t = weights.get(p.name());
            if (t == null || !java.util.Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("feature encoder lacks or mis-shapes " + p.name() + "; " + REGENERATE);
            }
            for (float v : t.data()) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("feature encoder weight " + p.name() + " is not finite; "
                            + REGENERATE);
                }
            }
            kept.put(p.name(), t);
        }
        this.meta = Map.copyOf(meta);
        this.tensors = Collections.unmodifiableMap(kept);
        // always the CPU: the features (and so the metrics) do not depend on the device a trial trains on
        this.manager = Engine.getInstance().newBaseManager(Device.cpu());
        for (Map.Entry<String, TensorFile.Tensor> e : kept.entrySet()) {
            this.weights.put(e.getKey(), Nd.create(manager, e.getValue().data(), new Shape(e.getValue().shape())));
        }
    }

    /** The encoder shipped with the module (read and checked once, then cached). */
    public static FeatureEncoder bundled() {
        FeatureEncoder e = bundled;
        if (e == null) {
            synchronized (FeatureEncoder.class) {
                if (bundled == null) {
                    try (InputStream in = FeatureEncoder.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("the bundled feature encoder " + RESOURCE
                                    + " is missing from the classpath; " + REGENERATE);
                        }
                        bundled = read(in, "classpath:" + RESOURCE);
                    } catch (IOException ex) {
                        throw new IllegalStateException("cannot read the bundled feature encoder " + RESOURCE + ": "
                                + ex.getMessage(), ex);
                    }
                }
                e = bundled;
            }
        }
        return e;
    }

    /** Reads an encoder file; a truncated, corrupt or foreign file is an {@link IllegalStateException} saying so. */
    public static FeatureEncoder load(Path file) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException ex) {
            throw new IllegalStateException("cannot read feature encoder " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static FeatureEncoder read(InputStream in, String what) {
        TensorFile.Contents c;
        try {
            c = TensorFile.read(in, "feature encoder " + what);
        } catch (IOException ex) {
            throw new IllegalStateException(ex.getMessage() + "; " + REGENERATE, ex);
        }
        try {
            return new FeatureEncoder(c.tensors(), c.meta());
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException("feature encoder " + what + ": " + ex.getMessage(), ex);
        }
    }

    /** The weight tensors, in file order. */
    public static List<ParamSpec> specs() {
        return SPECS;
    }

    public static long parameterCount() {
        return SPECS.stream().mapToLong(ParamSpec::size).sum();
    }

    /** Fresh random weights (He-style normal for kernels), deterministic from {@code seed}. */
    public static Map<String, TensorFile.Tensor> init(long seed) {
        return ParamInit.initialise(SPECS, seed, 2.0); // He: the layers are followed by SiLU
    }

    private static NDArray silu(NDArray x) {
        return Layers.silu(x);
    }

    private static NDArray groupNorm(NDArray x, NDArray gamma, NDArray beta) {
        return Layers.groupNorm(x, gamma, beta, GROUPS);
    }

    /** Rows scaled to unit L2 norm (an all-zero row stays finite: it is divided by 1e-6). */
    public static NDArray l2normalize(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }

    /**
     * The L2-normalised features (batch, {@link #DIM}) of {@code x} (batch, 3, 16, 16) under {@code w}
     * (by {@link ParamSpec} name). Every array made here belongs to the caller's NDScope or {@code x}'s manager.
     */
    public static NDArray forward(Map<String, NDArray> w, NDArray x) {
        return forward(w, x, null);
    }

    /**
     * {@link #forward(Map, NDArray)} with the pooled vector multiplied by {@code dropMask} (batch, 128) first:
     * the dropout of training ({@code null}: none).
     */
    static NDArray forward(Map<String, NDArray> w, NDArray x, NDArray dropMask) {
        NDArray h = x;
        for (Layer l : LAYERS) {
            NDArray y = Conv2d.conv2d(h, w.get(l.name() + ".w"), w.get(l.name() + ".b"),
                    new Shape(l.stride(), l.stride()), new Shape(1, 1)).singletonOrThrow();
            y = silu(groupNorm(y, w.get(l.name() + ".g"), w.get(l.name() + ".beta")));
            h = l.residual() ? h.add(y) : y;
        }
        Shape s = h.getShape();
        NDArray pooled = h.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}); // (batch, 128)
        if (dropMask != null) {
            pooled = pooled.mul(dropMask);
        }
        NDArray f = Linear.linear(pooled, w.get("proj.w"), w.get("proj.b")).singletonOrThrow();
        return l2normalize(f);
    }

    /**
     * The unit-norm feature vector of each image (CHW floats in [-1, 1], {@link Images#LENGTH} long), in order.
     * Batched, gradient-free and deterministic; safe to call from any thread (calls are serialised).
     */
    public synchronized float[][] features(List<float[]> images) {
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).length != Images.LENGTH) {
                throw new IllegalArgumentException("image " + i + " has " + images.get(i).length + " values, not "
                        + Images.LENGTH + " (3x16x16 CHW)");
            }
        }
        float[][] out = new float[images.size()][];
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // per thread; a worker thread has it on by default
        try {
            for (int start = 0; start < images.size(); start += CHUNK) {
                int b = Math.min(CHUNK, images.size() - start);
                float[] flat = new float[b * Images.LENGTH];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(images.get(start + i), 0, flat, i * Images.LENGTH, Images.LENGTH);
                }
                float[] f;
                try (NDScope scope = new NDScope()) {
                    NDArray x = Nd.create(manager, flat, new Shape(b, Images.CHANNELS, Images.SIZE, Images.SIZE));
                    f = forward(weights, x).toFloatArray();
                }
                for (int i = 0; i < b; i++) {
                    out[start + i] = java.util.Arrays.copyOfRange(f, i * DIM, (i + 1) * DIM);
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return out;
    }

    /** The feature of one image. */
    public float[] feature(float[] image) {
        return features(List.of(image))[0];
    }

    /** The file's metadata (training command, steps, held-out accuracies). */
    public Map<String, String> meta() {
        return meta;
    }

    /** The weights as read. */
    public Map<String, TensorFile.Tensor> weights() {
        return tensors;
    }

    /** Cosine similarity of two feature vectors (unit-norm features: their dot product). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na < 1e-24 || nb < 1e-24) {
            return 0;
        }
        return dot / Math.sqrt(na * nb);
    }
}
