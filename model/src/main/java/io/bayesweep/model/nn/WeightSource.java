package io.bayesweep.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Supplies the effective value of a named parameter for one forward pass: the plain weight, a sample
 * {@code mu + sigma * eps} of a Bayesian weight, the mean {@code mu}, or a weight plus its LoRA update.
 */
@FunctionalInterface
public interface WeightSource {
    NDArray get(String name);

    static WeightSource of(Map<String, NDArray> values) {
        return name -> {
            NDArray v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no parameter " + name);
            }
            return v;
        };
    }
}
