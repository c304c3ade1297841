package io.bayesweep.sweep;

import java.util.random.RandomGenerator;

/** {@code int_uniform}: every integer in [min, max], both ends included (W&B: {@code range(min, max + 1)}). */
public record IntUniform(long min, long max) implements Distribution {
    @Override
    public DistributionKind kind() {
        return DistributionKind.INT_UNIFORM;
    }

    @Override
    public long gridSize() {
        return max - min + 1;
    }

    @Override
    public Object gridValue(long index) {
        return min + index;
    }

    @Override
    public Object sample(RandomGenerator random) {
        return random.nextLong(min, max + 1);
    }
}
