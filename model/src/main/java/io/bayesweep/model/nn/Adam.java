package io.bayesweep.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam on NDArrays, with its moments held here so that they can be checkpointed and restored exactly.
 * {@link #step} reads each parameter's gradient, updates the parameter in place and zeroes the gradient.
 */
public final class Adam {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long t;

    public Adam(NDManager manager, Map<String, NDArray> params, double beta1, double beta2, double eps) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            m.put(e.getKey(), manager.zeros(e.getValue().getShape()));
            v.put(e.getKey(), manager.zeros(e.getValue().getShape()));
        }
    }

    /**
     * One update with learning rate {@code lr}; when {@code clipNorm > 0} the gradients are first scaled so
     * that their global L2 norm is at most {@code clipNorm}. Returns the global gradient norm.
     */
    public double step(Map<String, NDArray> params, double lr, double clipNorm) {
        t++;
        double bc1 = 1 - StrictMath.pow(beta1, t);
        double bc2 = 1 - StrictMath.pow(beta2, t);
        try (NDScope scope = new NDScope()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            double sq = 0;
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray g = e.getValue().getGradient();
                grads.put(e.getKey(), g);
                if (clipNorm > 0) {
                    sq += g.square().sum().getFloat();
                }
            }
            double norm = Math.sqrt(sq);
            double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1.0;
            // Adam with the bias corrections folded into the step size and epsilon:
            // lr * (m / bc1) / (sqrt(v / bc2) + eps) = (lr * sqrt(bc2) / bc1) * m / (sqrt(v) + eps * sqrt(bc2))
            float stepSize = (float) (lr * StrictMath.sqrt(bc2) / bc1);
            float epsHat = (float) (eps * StrictMath.sqrt(bc2));
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                String k = e.getKey();
                NDArray g = grads.get(k);
                if (scale != 1.0) {
                    g.muli((float) scale);
                }
                m.get(k).muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                v.get(k).muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                NDArray upd = v.get(k).sqrt().addi(epsHat);
                e.getValue().subi(m.get(k).mul(stepSize).divi(upd));
                g.muli(0f); // zero the gradient in place (the collector does not)
            }
            return norm;
        }
    }

    public long stepCount() {
        return t;
    }

    public void setStepCount(long t) {
        this.t = t;
    }

    public Map<String, NDArray> firstMoments() {
        return m;
    }

    public Map<String, NDArray> secondMoments() {
        return v;
    }
}
