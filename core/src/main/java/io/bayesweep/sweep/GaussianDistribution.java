package io.bayesweep.sweep;

import java.util.random.RandomGenerator;

/**
 * normal, q_normal, log_normal, q_log_normal. log_normal is scipy's {@code lognorm(s=sigma, scale=exp(mu))},
 * i.e. {@code exp(mu + sigma * z)}, as W&B samples it.
 *
 * @param q the quantum for q_ kinds (W&B's default 1.0), null for the others
 */
public record GaussianDistribution(DistributionKind kind, double mu, double sigma, Number q) implements Distribution {
    @Override
    public long gridSize() {
        throw new IllegalStateException("grid search cannot enumerate distribution '" + kind.wandbName() + "'");
    }

    @Override
    public Object gridValue(long index) {
        throw new IllegalStateException("grid search cannot enumerate distribution '" + kind.wandbName() + "'");
    }

    @Override
    public Object sample(RandomGenerator random) {
        double normal = mu + sigma * random.nextGaussian();
        return switch (kind) {
            case NORMAL -> normal;
            case Q_NORMAL -> Quantization.apply(normal, q);
            case LOG_NORMAL -> Math.exp(normal);
            case Q_LOG_NORMAL -> Quantization.apply(Math.exp(normal), q);
            default -> throw new IllegalStateException(kind + " is not a Gaussian distribution");
        };
    }
}
