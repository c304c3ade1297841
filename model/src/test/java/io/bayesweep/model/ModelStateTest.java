package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.bayesweep.model.emoji.Images;
import io.bayesweep.model.nn.Adam;
import io.bayesweep.model.nn.BayesKl;
import io.bayesweep.model.nn.Diffusion;
import io.bayesweep.model.nn.ModelState;
import io.bayesweep.model.nn.Nd;
import io.bayesweep.model.nn.UNet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelStateTest {
    private static final BaseModel BASE = BaseModel.random(3);
    private static final UNet NET = BASE.unet();

    private static float[][] batch(long seed, int b) {
        Random rnd = new Random(seed);
        float[] x = Diffusion.gaussian(rnd, b * Images.LENGTH);
        float[] eps = Diffusion.gaussian(rnd, b * Images.LENGTH);
        return new float[][] {x, eps};
    }

    /** Runs one forward+backward of the diffusion MSE (+ kl); returns the MSE. */
    private static double lossAndBackward(ModelState s, float[][] data, int[] t, int[] labels, double klWeight) {
        Engine.getInstance().setRandomSeed(11);
        try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Shape shape = new Shape(t.length, 3, 16, 16);
            NDArray x = s.manager().create(data[0], shape);
            NDArray target = s.manager().create(data[1], shape);
            NDArray mse = NET.forward(s.sampled(s.manager()), x, t, labels).sub(target).square().mean();
            NDArray loss = mse;
            if (klWeight > 0) {
                loss = loss.add(s.klSum(0.05).div(Nd.scalar(s.manager(), s.bayesianCount())).mul(Nd.scalar(s.manager(), klWeight)));
            }
            gc.backward(loss);
            return mse.getFloat();
        }
    }

    @Test
    void gradientsReachMuAndRhoAndSigmaStaysPositive() {
        try (ModelState s = new ModelState(NET, Engine.getInstance().newBaseManager(), BASE.weights(),
                Set.of("conv", "attn"), 1e-3, 0, 0)) {
            assertThat(s.trainable()).containsKeys("d1.conv1.w", "d1.conv1.w" + ModelState.RHO,
                    "attn.qkv.w" + ModelState.RHO);
            assertThat(s.trainable()).doesNotContainKey("d1.conv1.b" + ModelState.RHO);
            int[] t = {10, 500, 900, 300};
            int[] labels = {0, 1, 2, 3};
            lossAndBackward(s, batch(1, 4), t, labels, 1.0);
            try (NDScope scope = new NDScope()) {
                NDArray gMu = s.trainable().get("d1.conv1.w").getGradient();
                NDArray gRho = s.trainable().get("d1.conv1.w" + ModelState.RHO).getGradient();
                assertThat(gMu.abs().sum().getFloat()).isGreaterThan(0f);
                assertThat(gRho.abs().sum().getFloat()).isGreaterThan(0f);
            }
            Adam adam = new Adam(s.manager(), s.trainable(), 0.9, 0.999, 1e-8);
            adam.step(s.trainable(), 0.5, 0); // a huge step on rho: sigma = softplus(rho) must stay positive
            for (int i = 0; i < 3; i++) {
                lossAndBackward(s, batch(2 + i, 4), t, labels, 1.0);
                adam.step(s.trainable(), 0.5, 0);
            }
            try (NDScope scope = new NDScope()) {
                for (Map.Entry<String, NDArray> e : s.trainable().entrySet()) {
                    if (e.getKey().endsWith(ModelState.RHO)) {
                        assertThat(Activation.softPlus(e.getValue()).min().getFloat()).isGreaterThan(0f);
                    }
                }
            }
            assertThat(s.sigmaMeans()).containsKeys("conv", "attn", "all");
        }
    }

    @Test
    void gradientsReachMuAndRhoOfEveryBayesianGroup() {
        assertEveryRhoAndMuGetsGradient(Set.of("conv", "attn", "norm", "time", "emb"), 0);
        assertEveryRhoAndMuGetsGradient(Set.of("lora_b", "emb"), 4);
    }

    private static void assertEveryRhoAndMuGetsGradient(Set<String> groups, int loraRank) {
        try (ModelState s = new ModelState(NET, Engine.getInstance().newBaseManager(), BASE.weights(), groups, 1e-3,
                loraRank, 3)) {
            int[] t = {10, 500, 900, 300};
            // every class row in the batch, so that the whole embedding table gets gradient
            int[] labels = new int[NET.rows()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i;
            }
            int[] ts = new int[labels.length];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = t[i % t.length];
            }
            if (loraRank > 0) {
                // B starts at 0, so A gets no gradient on the first step; give B a value first
                for (Map.Entry<String, NDArray> e : s.values().entrySet()) {
                    if (e.getKey().endsWith(".lora_b")) {
                        Nd.assign(e.getValue(), filled((int) e.getValue().size(), 0.01f));
                    }
                }
            }
            lossAndBackward(s, batch(9, labels.length), ts, labels, 1.0);
            java.util.Set<String> seenGroups = new java.util.HashSet<>();
            try (NDScope scope = new NDScope()) {
                for (Map.Entry<String, NDArray> e : s.trainable().entrySet()) {
                    if (!e.getKey().endsWith(ModelState.RHO)) {
                        continue;
                    }
                    String mu = e.getKey().substring(0, e.getKey().length() - ModelState.RHO.length());
                    assertThat(e.getValue().getGradient().abs().sum().getFloat()).as("grad of rho of %s", mu)
                            .isGreaterThan(0f);
                    assertThat(s.trainable().get(mu).getGradient().abs().sum().getFloat()).as("grad of mu of %s", mu)
                            .isGreaterThan(0f);
                    seenGroups.add(mu.endsWith(".lora_b") ? "lora_b" : NET.specs().stream()
                            .filter(p -> p.name().equals(mu)).findFirst().orElseThrow().group());
                }
            }
            assertThat(seenGroups).isEqualTo(groups);
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void klOfNdArraysMatchesTheJavaFormula() {
        try (ModelState s = new ModelState(NET, Engine.getInstance().newBaseManager(), BASE.weights(),
                Set.of("norm"), 0.01, 0, 0)) {
            // perturb mu away from mu0 so that both KL terms are exercised
            NDArray g = s.values().get("d1.norm1.g");
            float[] mu0 = g.toFloatArray();
            float[] mu = mu0.clone();
            for (int i = 0; i < mu.length; i++) {
                mu[i] += 0.01f * i;
            }
            Nd.assign(g, mu);
            double expected = 0;
            for (Map.Entry<String, NDArray> e : s.values().entrySet()) {
                if (e.getKey().endsWith(".g")) {
                    float[] m = e.getValue().toFloatArray();
                    float[] m0 = e.getKey().equals("d1.norm1.g") ? mu0 : m;
                    float[] sig = new float[m.length];
                    java.util.Arrays.fill(sig, 0.01f);
                    expected += BayesKl.kl(m, sig, m0, 0.05);
                }
            }
            try (NDScope scope = new NDScope()) {
                assertThat(s.klSum(0.05).getFloat()).isCloseTo((float) expected, within((float) (1e-4 * expected)));
            }
        }
    }

    @Test
    void tinyInitStdAndNoKlMatchesThePlainModel() {
        float[][] data = batch(4, 4);
        int[] t = {5, 250, 600, 999};
        int[] labels = {0, 0, 1, 2};
        double plain;
        double bnn;
        try (ModelState s = new ModelState(NET, Engine.getInstance().newBaseManager(), BASE.weights(), Set.of(),
                0, 0, 0)) {
            plain = lossAndBackward(s, data, t, labels, 0);
        }
        try (ModelState s = new ModelState(NET, Engine.getInstance().newBaseManager(), BASE.weights(),
                Set.of("conv", "attn", "norm", "time", "emb"), 1e-7, 0, 0)) {
            bnn = lossAndBackward(s, data, t, labels, 0);
        }
        assertThat(bnn).isCloseTo(plain, within(1e-4 * plain));
    }

    @Test
    void meanWeightSamplingIsDeterministic() {
        Diffusion diffusion = new Diffusion();
        List<float[]> noises = List.of(Diffusion.sampleNoise(1), Diffusion.sampleNoise(2));
        int[] labels = {0, 1};
        try (NDManager m = Engine.getInstance().newBaseManager();
             ModelState s = new ModelState(NET, m.newSubManager(), BASE.weights(), Set.of("conv"), 0.05, 0, 0)) {
            Engine.getInstance().setRandomSeed(1);
            List<float[]> a = diffusion.ddim(NET, s.mean(), m, noises, labels, 5, false);
            Engine.getInstance().setRandomSeed(2);
            List<float[]> b = diffusion.ddim(NET, s.mean(), m, noises, labels, 5, false);
            assertThat(a.get(0)).containsExactly(b.get(0));
            assertThat(a.get(1)).containsExactly(b.get(1));
            assertThat(a.get(0)).isNotEqualTo(a.get(1));
        }
    }

    @Test
    void ancestralSamplingIsDeterministicForASeedAndDiffersFromDdim() {
        Diffusion diffusion = new Diffusion();
        List<float[]> noises = List.of(Diffusion.sampleNoise(1), Diffusion.sampleNoise(2));
        int[] labels = {0, 1};
        try (NDManager m = Engine.getInstance().newBaseManager();
             ModelState s = new ModelState(NET, m.newSubManager(), BASE.weights(), Set.of(), 0, 0, 0)) {
            List<float[]> a = diffusion.ancestral(NET, s.mean(), m, noises, labels, 10, 7);
            List<float[]> b = diffusion.ancestral(NET, s.mean(), m, noises, labels, 10, 7);
            List<float[]> c = diffusion.ancestral(NET, s.mean(), m, noises, labels, 10, 8);
            List<float[]> d = diffusion.ddim(NET, s.mean(), m, noises, labels, 10, false);
            assertThat(a.get(0)).containsExactly(b.get(0));
            assertThat(a.get(0)).isNotEqualTo(c.get(0)).isNotEqualTo(d.get(0));
            for (float v : a.get(1)) {
                assertThat(v).isBetween(-1f, 1f);
            }
        }
    }

    @Test
    void loraAddsRankTimesInPlusOutPerTargetAndLeavesBaseWeightsUnchanged() {
        int rank = 4;
        long expected = 0;
        for (UNet.ParamSpec p : NET.specs()) {
            if (p.loraTarget()) {
                long out = p.shape()[0];
                long in = p.size() / out; // fan-in: cin * k * k for a conv, cin for a linear
                expected += rank * (in + out);
            }
        }
        assertThat(expected).isPositive();
        try (ModelState s = new ModelState(NET, Engine.getInstance().newBaseManager(), BASE.weights(),
                Set.of("lora_b"), 1e-3, rank, 5)) {
            long lora = s.trainable().entrySet().stream()
                    .filter(e -> e.getKey().endsWith(".lora_a") || e.getKey().endsWith(".lora_b"))
                    .mapToLong(e -> e.getValue().size()).sum();
            assertThat(lora).isEqualTo(expected);
            assertThat(s.trainable().keySet()).allMatch(k -> k.contains(".lora_") || k.equals("emb.table"));

            Adam adam = new Adam(s.manager(), s.trainable(), 0.9, 0.999, 1e-8);
            for (int i = 0; i < 3; i++) {
                lossAndBackward(s, batch(20 + i, 2), new int[] {100, 700}, new int[] {0, 1}, 0.1);
                adam.step(s.trainable(), 1e-2, 1.0);
            }
            assertThat(s.values().get("d1.conv1.w.lora_b").toFloatArray()).as("B trained").isNotEqualTo(
                    new float[(int) s.values().get("d1.conv1.w.lora_b").size()]);
            for (UNet.ParamSpec p : NET.specs()) {
                if (!p.name().equals("emb.table")) {
                    assertThat(s.values().get(p.name()).toFloatArray()).as(p.name())
                            .containsExactly(BASE.weights().get(p.name()).data());
                }
            }
        }
    }
}
