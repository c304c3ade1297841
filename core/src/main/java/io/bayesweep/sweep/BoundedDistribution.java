package io.bayesweep.sweep;

import java.util.random.RandomGenerator;

/**
 * The min/max distributions other than int_uniform: uniform, q_uniform and the log-uniform family.
 * For {@code log_uniform}, {@code q_log_uniform} and {@code inv_log_uniform} the bounds are exponents
 * (W&B's v1 semantics); for the {@code *_values} kinds they are the values themselves.
 *
 * @param q the quantum for q_ kinds (W&B's default 1.0), null for the others
 */
public record BoundedDistribution(DistributionKind kind, Number min, Number max, Number q) implements Distribution {

    public boolean boundsAreExponents() {
        return kind == DistributionKind.LOG_UNIFORM || kind == DistributionKind.Q_LOG_UNIFORM
                || kind == DistributionKind.INV_LOG_UNIFORM;
    }

    /** The smallest value a draw can take before quantization. */
    public double lowestValue() {
        return switch (kind) {
            case LOG_UNIFORM, Q_LOG_UNIFORM -> Math.exp(min.doubleValue());
            case INV_LOG_UNIFORM -> Math.exp(-max.doubleValue());
            default -> min.doubleValue();
        };
    }

    /** The largest value a draw can take before quantization. */
    public double highestValue() {
        return switch (kind) {
            case LOG_UNIFORM, Q_LOG_UNIFORM -> Math.exp(max.doubleValue());
            case INV_LOG_UNIFORM -> Math.exp(-min.doubleValue());
            default -> max.doubleValue();
        };
    }

    /** W&B grids q_uniform as {@code numpy.arange(min, max, q)}: min, min+q, ... strictly below max. */
    @Override
    public long gridSize() {
        requireQUniform();
        return Math.max(0, (long) Math.ceil((max.doubleValue() - min.doubleValue()) / q.doubleValue()));
    }

    @Override
    public Object gridValue(long index) {
        requireQUniform();
        if (Quantization.isIntegerTyped(min) && Quantization.isIntegerTyped(q)) {
            return min.longValue() + index * q.longValue();
        }
        // numpy's arange steps by (min + q) - min, which can differ from q in the last bit; match it exactly.
        double start = min.doubleValue();
        double delta = (start + q.doubleValue()) - start;
        return start + index * delta;
    }

    @Override
    public Object sample(RandomGenerator random) {
        double lo = min.doubleValue();
        double hi = max.doubleValue();
        double u = random.nextDouble();
        return switch (kind) {
            case UNIFORM -> lo + u * (hi - lo);
            case Q_UNIFORM -> Quantization.apply(lo + u * (hi - lo), q);
            case LOG_UNIFORM -> Math.exp(lo + u * (hi - lo));
            case LOG_UNIFORM_VALUES -> logUniform(Math.log(lo), Math.log(hi), u);
            case Q_LOG_UNIFORM -> Quantization.apply(Math.exp(lo + u * (hi - lo)), q);
            case Q_LOG_UNIFORM_VALUES -> Quantization.apply(logUniform(Math.log(lo), Math.log(hi), u), q);
            case INV_LOG_UNIFORM -> Math.exp(-(lo + u * (hi - lo)));
            case INV_LOG_UNIFORM_VALUES -> Math.exp(-(-Math.log(hi) + u * (Math.log(hi) - Math.log(lo))));
            default -> throw new IllegalStateException(kind + " is not a bounded distribution");
        };
    }

    private static double logUniform(double logLo, double logHi, double u) {
        return Math.exp(logLo + u * (logHi - logLo));
    }

    private void requireQUniform() {
        if (kind != DistributionKind.Q_UNIFORM) {
            throw new IllegalStateException("grid search cannot enumerate distribution '" + kind.wandbName() + "'");
        }
    }
}
