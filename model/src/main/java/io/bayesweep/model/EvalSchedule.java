package io.bayesweep.model;

import java.util.Objects;

/**
 * When a trial evaluates and how its eval samples are drawn. None of it changes the training trajectory: two
 * trials that differ only in their schedule train the same weights.
 *
 * @param every      evaluate every this many steps, and after the last step
 * @param earlyEvery evaluate every this many steps up to step {@code earlyUntil} too (0 = off): dips in the first
 *                   tens of steps need dense evals, the rest of a long run does not
 * @param earlyUntil the last step of the early schedule
 * @param sampling   how the eval samples (and so the metrics) are drawn
 */
public record EvalSchedule(int every, int earlyEvery, int earlyUntil, EvalSampling sampling) {
    public EvalSchedule {
        Objects.requireNonNull(sampling, "sampling");
        if (every <= 0) {
            throw new IllegalArgumentException("eval_every must be positive");
        }
        if (earlyEvery < 0 || earlyUntil < 0) {
            throw new IllegalArgumentException("early_eval_every and early_eval_until must be >= 0");
        }
    }

    /** Every {@code every} steps, no early schedule, the default sampling. */
    public static EvalSchedule every(int every) {
        return new EvalSchedule(every, 0, 0, EvalSampling.DEFAULT);
    }

    /** Whether a trial of {@code steps} steps evaluates after training step {@code k}. */
    public boolean evaluatesAt(long k, int steps) {
        return k % every == 0 || k == steps || earlyEvery > 0 && k <= earlyUntil && k % earlyEvery == 0;
    }
}
