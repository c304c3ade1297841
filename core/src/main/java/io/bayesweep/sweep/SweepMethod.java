package io.bayesweep.sweep;

/** The search methods bayesweep runs; W&B's {@code bayes} is not one of them yet. */
public enum SweepMethod {
    /** Every combination of the parameters' values, W&B order rules aside (see docs/sweeps.md). */
    GRID,
    /** {@code run_cap} independent draws from the parameters' distributions. */
    RANDOM
}
