package io.bayesweep.detect;

import java.util.Objects;

/**
 * The corruption-stage detector's parameters. They are versioned: every {@link Verdict} carries
 * {@link #version()}, so a stored verdict can be traced to the parameters that produced it, and a
 * change of any value must come with a new version string. docs/detection.md explains each one.
 *
 * <p>Scale: {@code minDrop}, {@code improveDelta} are in fidelity units (cosine similarity); every
 * noise threshold is relative to the trace's own noise baseline, so the absolute scale of the
 * {@code noise} metric does not matter; {@code memorizationRatio} and {@code sigma1Ratio} are
 * relative to those metrics' early level.
 *
 * @param version           the name of this parameter set; {@code "v1"} for {@link #V1}
 * @param warmupPoints      valid fidelity and noise values needed before a window can open (the
 *                          baseline's first calibration), and the number of early memorization /
 *                          sigma1 values whose median is their reference level (v1: 5)
 * @param historyPoints     how many of the latest non-corrupt points form the noise baseline (median),
 *                          and the fidelity and noise measurement-noise estimates (v1: 10)
 * @param peakPoints        how many of the latest non-corrupt points the running fidelity peak looks back
 *                          over (v1: 12)
 * @param confirmPoints     consecutive points that must agree to open or to close a window, or to
 *                          confirm over-fitting (v1: 2); 2 or more means one point can never open a window
 * @param minDrop           the smallest fidelity drop below the running peak that counts (v1: 0.05)
 * @param dropSigmas        ... or this many fidelity measurement-noise sigmas, if larger (v1: 3)
 * @param noiseRise         the smallest noise rise that counts, as a fraction of the baseline (v1: 0.3,
 *                          i.e. 1.3 x baseline)
 * @param noiseSigmas       ... or this many noise measurement-noise sigmas above the baseline, if larger (v1: 3)
 * @param noiseSigmaFloor   the noise measurement-noise estimate is at least this fraction of the
 *                          baseline (v1: 0.05)
 * @param exitFraction      hysteresis: a point inside a window is back to normal when its fidelity drop
 *                          is below this fraction of the entry threshold or its noise rise is below this
 *                          fraction of the entry rise (v1: 0.5)
 * @param memorizationRatio OVERFIT when memorization (median of the last 3) is at most this fraction of
 *                          its early level (v1: 0.5)
 * @param sigma1Ratio       ... or when sigma1 (median of the last 3) is at most this fraction of its early
 *                          level (v1: 0.5)
 * @param improveDelta      IMPROVING while smoothed fidelity rose by at least this much over the last
 *                          {@code trendPoints} points (v1: 0.02)
 * @param trendPoints       see {@code improveDelta} (v1: 5)
 */
public record DetectorParams(String version, int warmupPoints, int historyPoints, int peakPoints,
                             int confirmPoints, double minDrop, double dropSigmas, double noiseRise,
                             double noiseSigmas, double noiseSigmaFloor, double exitFraction,
                             double memorizationRatio, double sigma1Ratio, double improveDelta,
                             int trendPoints) {

    /** Version v1: the defaults documented in docs/detection.md. */
    public static final DetectorParams V1 = new DetectorParams("v1", 5, 10, 12, 2, 0.05, 3.0, 0.3, 3.0, 0.05,
            0.5, 0.5, 0.5, 0.02, 5);

    public DetectorParams {
        Objects.requireNonNull(version, "version");
        if (version.isBlank()) {
            throw new IllegalArgumentException("version must not be blank");
        }
        atLeast("warmupPoints", warmupPoints, 3);
        atLeast("historyPoints", historyPoints, warmupPoints);
        atLeast("peakPoints", peakPoints, 1);
        atLeast("confirmPoints", confirmPoints, 1);
        atLeast("trendPoints", trendPoints, 1);
        positive("minDrop", minDrop);
        nonNegative("dropSigmas", dropSigmas);
        positive("noiseRise", noiseRise);
        nonNegative("noiseSigmas", noiseSigmas);
        nonNegative("noiseSigmaFloor", noiseSigmaFloor);
        fraction("exitFraction", exitFraction);
        fraction("memorizationRatio", memorizationRatio);
        fraction("sigma1Ratio", sigma1Ratio);
        positive("improveDelta", improveDelta);
    }

    /** The current default parameters ({@link #V1}). */
    public static DetectorParams defaults() {
        return V1;
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }

    private static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive number, was " + value);
        }
    }

    private static void nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }

    private static void fraction(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), was " + value);
        }
    }
}
