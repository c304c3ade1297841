package io.bayesweep.sweep;

import java.util.random.RandomGenerator;

/** {@code value: x} or {@code distribution: constant}. */
public record ConstantValue(Object value) implements Distribution {
    @Override
    public DistributionKind kind() {
        return DistributionKind.CONSTANT;
    }

    @Override
    public long gridSize() {
        return 1;
    }

    @Override
    public Object gridValue(long index) {
        return value;
    }

    @Override
    public Object sample(RandomGenerator random) {
        return value;
    }
}
