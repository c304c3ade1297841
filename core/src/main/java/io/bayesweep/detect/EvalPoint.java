package io.bayesweep.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The metrics of one eval step of one trial, as the corruption-stage detector reads them.
 * {@link Double#NaN} marks a metric that was not reported at this step; the detector treats any
 * non-finite value (NaN, infinities) as missing.
 *
 * @param step         the training step of the eval (strictly increasing within a trial)
 * @param fidelity     cosine similarity of samples to the references, in [-1, 1]
 * @param noise        no-reference noise estimate of the samples (any positive scale)
 * @param diversity    mean pairwise distance between samples (optional; not used by detector v1)
 * @param memorization distance of samples to the nearest training reference; falls toward 0 as the
 *                     model copies (optional; used for the OVERFIT state)
 * @param sigma1       spread of the learned distribution around the training image; narrows as the
 *                     model collapses onto it (optional; used for the OVERFIT state)
 * @param loss         training loss (optional; not used by detector v1)
 */
public record EvalPoint(long step, double fidelity, double noise, double diversity, double memorization,
                        double sigma1, double loss) {

    /** A point with only the two metrics the detector needs; the optional ones are missing. */
    public static EvalPoint of(long step, double fidelity, double noise) {
        return new EvalPoint(step, fidelity, noise, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** The point of one stored eval step, from its metrics by contract name; NaN where one is absent. */
    public static EvalPoint ofMetrics(long step, Map<String, Double> metrics) {
        Map<String, Double> m = metrics == null ? Map.of() : metrics;
        return new EvalPoint(step, value(m, "fidelity"), value(m, "noise"), value(m, "diversity"),
                value(m, "memorization"), value(m, "sigma1"), value(m, "loss"));
    }

    /**
     * A trial's stored eval steps as detector points, sorted by step, a repeated step kept once (the first):
     * the one mapping the orchestrator's replay and {@code sweep detect TRIAL} share, so they always agree.
     */
    public static <T> List<EvalPoint> byStep(List<T> steps, ToLongFunction<T> step,
                                             Function<T, Map<String, Double>> metrics) {
        List<EvalPoint> points = new ArrayList<>();
        steps.stream().sorted(Comparator.comparingLong(step)).forEach(s -> {
            long k = step.applyAsLong(s);
            if (points.isEmpty() || points.get(points.size() - 1).step() != k) {
                points.add(ofMetrics(k, metrics.apply(s)));
            }
        });
        return points;
    }

    private static double value(Map<String, Double> metrics, String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    boolean hasFidelity() {
        return Double.isFinite(fidelity);
    }

    boolean hasNoise() {
        return Double.isFinite(noise);
    }
}
