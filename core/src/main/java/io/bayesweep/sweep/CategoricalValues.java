package io.bayesweep.sweep;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code values: [...]}, optionally with {@code probabilities} (same length, summing to 1).
 *
 * @param probabilities null for uniform choice
 */
public record CategoricalValues(List<Object> values, List<Double> probabilities) implements Distribution {
    public CategoricalValues {
        values = List.copyOf(values);
        probabilities = probabilities == null ? null : List.copyOf(probabilities);
    }

    @Override
    public DistributionKind kind() {
        return probabilities == null ? DistributionKind.CATEGORICAL : DistributionKind.CATEGORICAL_W_PROBABILITIES;
    }

    @Override
    public long gridSize() {
        return values.size();
    }

    @Override
    public Object gridValue(long index) {
        return values.get((int) index);
    }

    @Override
    public Object sample(RandomGenerator random) {
        if (probabilities == null) {
            return values.get(random.nextInt(values.size()));
        }
        // W&B: the first value whose cumulative probability exceeds the draw.
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < values.size(); i++) {
            cumulative += probabilities.get(i);
            if (u < cumulative) {
                return values.get(i);
            }
        }
        // The sum may fall short of 1 by rounding (up to 1e-6); the last value takes that sliver.
        return values.get(values.size() - 1);
    }
}
