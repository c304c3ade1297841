package io.bayesweep.model.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** How one parameter tensor starts: its shape, fan-in and kind of initialisation ("normal", "one", "zero"). */
public interface ParamInit {
    String name();

    long[] shape();

    int fanIn();

    String init();

    default long size() {
        long n = 1;
        for (long d : shape()) {
            n *= d;
        }
        return n;
    }

    /**
     * Fresh weights for {@code specs}, deterministic from {@code seed}: "normal" draws N(0, gain / fanIn),
     * "one" fills with 1, anything else with 0.
     */
    static Map<String, TensorFile.Tensor> initialise(List<? extends ParamInit> specs, long seed, double gain) {
        Random rnd = new Random(seed);
        Map<String, TensorFile.Tensor> out = new LinkedHashMap<>();
        for (ParamInit p : specs) {
            float[] data = new float[(int) p.size()];
            switch (p.init()) {
                case "normal" -> {
                    double std = StrictMath.sqrt(gain / p.fanIn());
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) (rnd.nextGaussian() * std);
                    }
                }
                case "one" -> java.util.Arrays.fill(data, 1f);
                default -> {
                }
            }
            out.put(p.name(), new TensorFile.Tensor(p.shape().clone(), data));
        }
        return out;
    }
}
