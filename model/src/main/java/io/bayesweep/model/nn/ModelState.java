package io.bayesweep.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The live parameters of a model being trained: plain weights, the mean-field Gaussian (mu, rho, frozen
 * mu0) of Bayesian weights, and optional LoRA adapters. Hands out {@link WeightSource}s for sampled-weight
 * (training) and mean-weight (inference) forward passes, and the KL term.
 *
 * <p>A Bayesian weight's mu is the weight's own array (initialised to the pretrained value); sigma =
 * softplus(rho) starts at {@code initStd}; mu0 is the pretrained value (the prior's centre).
 */
public final class ModelState implements AutoCloseable {
    public static final String RHO = "#rho";

    private final UNet net;
    private final NDManager manager;
    private final Map<String, NDArray> values = new LinkedHashMap<>();
    private final Map<String, NDArray> rho = new LinkedHashMap<>();
    private final Map<String, NDArray> mu0 = new LinkedHashMap<>();
    private final Map<String, String> bayesGroup = new LinkedHashMap<>();
    private final Map<String, NDArray> trainable = new LinkedHashMap<>();
    private final List<String> loraTargets = new ArrayList<>();
    private final double loraScale;
    private long bayesianCount;

    /**
     * @param weights        starting values of the network's parameters
     * @param bayesianGroups layer groups whose weights get a Gaussian (may include {@code lora_b})
     * @param loraRank       0 = full fine-tuning (every parameter trainable); r > 0 = LoRA on the conv and
     *                       attn weights with the base frozen, plus the class-embedding table trainable
     */
    public ModelState(UNet net, NDManager manager, Map<String, TensorFile.Tensor> weights, Set<String> bayesianGroups,
                      double initStd, int loraRank, long loraSeed) {
        this.net = net;
        this.manager = manager;
        this.loraScale = 1.0;
        for (UNet.ParamSpec p : net.specs()) {
            TensorFile.Tensor t = weights.get(p.name());
            if (t == null) {
                throw new IllegalArgumentException("weights lack " + p.name());
            }
            values.put(p.name(), Nd.create(manager, t.data(), new Shape(p.shape())));
        }
        if (loraRank > 0) {
            Random rnd = new Random(loraSeed);
            for (UNet.ParamSpec p : net.specs()) {
                if (!p.loraTarget()) {
                    continue;
                }
                loraTargets.add(p.name());
                long out = p.shape()[0];
                float[] a = new float[(int) (loraRank * (long) p.fanIn())];
                double std = 1.0 / Math.sqrt(p.fanIn());
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (rnd.nextGaussian() * std);
                }
                values.put(p.name() + ".lora_a", Nd.create(manager, a, new Shape(loraRank, p.fanIn())));
                values.put(p.name() + ".lora_b", manager.zeros(new Shape(out, loraRank)));
                trainable.put(p.name() + ".lora_a", values.get(p.name() + ".lora_a"));
                trainable.put(p.name() + ".lora_b", values.get(p.name() + ".lora_b"));
            }
            trainable.put("emb.table", values.get("emb.table"));
        } else {
            for (UNet.ParamSpec p : net.specs()) {
                trainable.put(p.name(), values.get(p.name()));
            }
        }
        float rho0 = (float) BayesKl.inverseSoftplus(initStd);
        for (Map.Entry<String, NDArray> e : values.entrySet()) {
            String name = e.getKey();
            String group = groupOf(name);
            if (group == null || !bayesianGroups.contains(group) || !trainable.containsKey(name)) {
                continue;
            }
            NDArray r = manager.full(e.getValue().getShape(), rho0);
            rho.put(name, r);
            mu0.put(name, e.getValue().duplicate());
            bayesGroup.put(name, group);
            trainable.put(name + RHO, r);
            bayesianCount += e.getValue().size();
        }
        for (NDArray a : trainable.values()) {
            a.setRequiresGradient(true);
        }
    }

    /** The Bayesian-capable group of a parameter, or null when it is a bias or a LoRA A matrix. */
    private String groupOf(String name) {
        if (name.endsWith(".lora_b")) {
            return "lora_b";
        }
        if (name.endsWith(".lora_a")) {
            return null;
        }
        UNet.ParamSpec p = net.spec(name);
        return p.kind() == UNet.Kind.WEIGHT ? p.group() : null;
    }

    public NDManager manager() {
        return manager;
    }

    /** Parameters updated by the optimiser, by key ({@code name} or {@code name#rho}). */
    public Map<String, NDArray> trainable() {
        return trainable;
    }

    /** Every array whose value is state: weights, LoRA, rho, mu0 (by checkpoint key). */
    public Map<String, NDArray> stateArrays() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put("p/" + k, v));
        rho.forEach((k, v) -> out.put("rho/" + k, v));
        mu0.forEach((k, v) -> out.put("mu0/" + k, v));
        return out;
    }

    public Map<String, NDArray> values() {
        return values;
    }

    public long bayesianCount() {
        return bayesianCount;
    }

    public boolean isBayesian() {
        return bayesianCount > 0;
    }

    /**
     * sigma = softplus(rho) of every Bayesian weight, with gradient, in the caller's NDScope. A training step
     * computes it once and shares it between the weight samples, the KL term and the sigma statistics.
     */
    public Map<String, NDArray> sigmas() {
        Map<String, NDArray> out = new HashMap<>();
        rho.forEach((k, r) -> out.put(k, Activation.softPlus(r)));
        return out;
    }

    /** {@link #sampled(NDManager, Map)} with freshly computed sigmas. */
    public WeightSource sampled(NDManager stepManager) {
        return sampled(stepManager, sigmas());
    }

    /**
     * Weights for one training forward pass: each Bayesian weight is drawn once as mu + sigma * eps with eps
     * from the engine's generator (seeded per step by the caller). Results belong to the caller's NDScope;
     * the step-local eps comes first so that nothing attaches to the model's manager for long.
     */
    public WeightSource sampled(NDManager stepManager, Map<String, NDArray> sigmas) {
        Map<String, NDArray> cache = new HashMap<>();
        WeightSource raw = name -> cache.computeIfAbsent(name, n -> {
            NDArray mu = values.get(n);
            NDArray sigma = sigmas.get(n);
            if (sigma == null) {
                return mu;
            }
            NDArray eps = stepManager.randomNormal(mu.getShape());
            return eps.mul(sigma).add(mu);
        });
        return withLora(raw);
    }

    /** The mean weights (what inference uses). */
    public WeightSource mean() {
        return withLora(values::get);
    }

    private WeightSource withLora(WeightSource raw) {
        if (loraTargets.isEmpty()) {
            return raw;
        }
        // no caching here: a source may serve many forward passes (DDIM), each in its own NDScope
        return name -> {
            if (!name.endsWith(".w") || !values.containsKey(name + ".lora_a")) {
                return raw.get(name);
            }
            NDArray base = raw.get(name);
            NDArray delta = raw.get(name + ".lora_b").matMul(raw.get(name + ".lora_a")).reshape(base.getShape());
            return loraScale == 1.0 ? delta.add(base) : delta.mul(Nd.scalar(manager, loraScale)).add(base);
        };
    }

    /** KL(q || p) summed over all Bayesian weights, as a scalar NDArray (with gradient); null if none. */
    public NDArray klSum(double priorStd) {
        return klSum(priorStd, sigmas());
    }

    /** {@link #klSum(double)} from sigmas already computed this step. */
    public NDArray klSum(double priorStd, Map<String, NDArray> sigmas) {
        NDArray total = null;
        double s0sq2 = 2 * priorStd * priorStd;
        for (Map.Entry<String, NDArray> e : rho.entrySet()) {
            NDArray sigma = sigmas.get(e.getKey());
            NDArray d = values.get(e.getKey()).sub(mu0.get(e.getKey()));
            NDArray term = sigma.square().add(d.square()).div(Nd.scalar(manager, s0sq2)).sub(sigma.log()).sum();
            total = total == null ? term : total.add(term);
        }
        if (total == null) {
            return null;
        }
        return total.add((float) (bayesianCount * (StrictMath.log(priorStd) - 0.5)));
    }

    /** Mean posterior sigma per Bayesian group, and over all Bayesian weights under "all". */
    public Map<String, Double> sigmaMeans() {
        Map<String, Double> out = new LinkedHashMap<>();
        sigmaStats().forEach((k, a) -> out.put(k, a[0]));
        return out;
    }

    /** {mean, min, max} of the posterior sigma per Bayesian group, and over all Bayesian weights under "all". */
    public Map<String, double[]> sigmaStats() {
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            return sigmaStats(sigmas());
        }
    }

    /** {@link #sigmaStats()} of sigmas already computed this step. */
    public Map<String, double[]> sigmaStats(Map<String, NDArray> sigmas) {
        Map<String, double[]> acc = new TreeMap<>(); // sum, count, min, max
        for (Map.Entry<String, NDArray> e : rho.entrySet()) {
            double sum;
            double min;
            double max;
            NDArray s = sigmas.get(e.getKey());
            try (NDArray t = s.sum(); NDArray lo = s.min(); NDArray hi = s.max()) {
                sum = t.getFloat();
                min = lo.getFloat();
                max = hi.getFloat();
            }
            long n = e.getValue().size();
            for (String key : new String[] {bayesGroup.get(e.getKey()), "all"}) {
                double[] a = acc.computeIfAbsent(key, k -> new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE});
                a[0] += sum;
                a[1] += n;
                a[2] = Math.min(a[2], min);
                a[3] = Math.max(a[3], max);
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> out.put(k, new double[] {a[0] / a[1], a[2], a[3]}));
        return out;
    }

    /** Snapshot of every state array as tensors (for checkpoints). */
    public Map<String, TensorFile.Tensor> export() {
        Map<String, TensorFile.Tensor> out = new LinkedHashMap<>();
        stateArrays().forEach((k, v) -> out.put(k, new TensorFile.Tensor(v.getShape().getShape(), v.toFloatArray())));
        return out;
    }

    /** Restores every state array from {@code tensors}; the shapes must match. */
    public void restore(Map<String, TensorFile.Tensor> tensors) {
        for (Map.Entry<String, NDArray> e : stateArrays().entrySet()) {
            TensorFile.Tensor t = tensors.get(e.getKey());
            if (t == null || t.data().length != e.getValue().size()) {
                throw new IllegalArgumentException("checkpoint lacks or mis-sizes " + e.getKey());
            }
            Nd.assign(e.getValue(), t.data());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
