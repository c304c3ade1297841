package io.bayesweep.sweep;

import java.util.random.RandomGenerator;

/** Where a swept parameter's values come from: W&B's semantics for grid enumeration and random draws. */
public sealed interface Distribution
        permits ConstantValue, CategoricalValues, IntUniform, BoundedDistribution, GaussianDistribution {

    DistributionKind kind();

    /** How many values grid search enumerates; only meaningful when {@code kind().gridEnumerable()}. */
    long gridSize();

    /** The index-th grid value, 0 <= index < gridSize(); indexed so huge ranges need not be materialised. */
    Object gridValue(long index);

    /** One random draw. */
    Object sample(RandomGenerator random);
}
