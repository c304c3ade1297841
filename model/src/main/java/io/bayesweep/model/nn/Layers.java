package io.bayesweep.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/** The functional building blocks the UNet and the feature encoder share. */
public final class Layers {
    private Layers() {
    }

    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /**
     * GroupNorm over {@code groups} channel groups of an NCHW batch, by hand: the engine's own norm ops do not
     * take per-forward-pass (sampled, LoRA-adapted) scales.
     */
    public static NDArray groupNorm(NDArray x, NDArray gamma, NDArray beta, int groups) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        NDArray r = x.reshape(b, groups, -1);
        NDArray d = r.sub(r.mean(new int[] {2}, true));
        NDArray var = d.square().mean(new int[] {2}, true);
        NDArray n = d.div(var.add(1e-5f).sqrt()).reshape(s);
        return n.mul(gamma.reshape(1, c, 1, 1)).add(beta.reshape(1, c, 1, 1));
    }
}
