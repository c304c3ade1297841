package io.bayesweep.detect;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The corruption-stage detector's parameters. They are versioned: every {@link Verdict} carries
 * {@link #version()}, so a stored verdict can be traced to the parameters that produced it, and a
 * change of any value must come with a new version string. docs/detection.md explains each one.
 *
 * <p>Scale: {@code minDrop}, {@code improveDelta} are in fidelity units (cosine similarity); every
 * noise threshold is relative to the trace's own noise baseline (during v2's warm-up: its lowest noise
 * so far), so the absolute scale of the {@code noise} metric does not matter; {@code memorizationRatio}
 * and {@code sigma1Ratio} are relative to those metrics' early level.
 *
 * @param version           the name of this parameter set; {@code "v1"} for {@link #V1}, {@code "v2"} for {@link #V2}
 * @param warmupPoints      valid fidelity and noise values in the history before the calibrated references
 *                          below apply (the baseline's first calibration; before that, v1 opens no window and
 *                          v2 judges points against provisional references, see {@code provisionalPoints}),
 *                          and the number of early memorization / sigma1 values whose median is their
 *                          reference level (v1, v2: 5)
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
 * @param provisionalPoints during the warm-up, a point is judged against provisional references once the
 *                          history holds at least this many valid fidelity and noise values: the running
 *                          fidelity peak is the highest fidelity seen so far, the noise baseline the lowest
 *                          noise seen so far. 0: no point is judged during the warm-up, no window can open
 *                          there (v1: 0; v2: 1, so the 2nd eval point can already start a window)
 * @param provisionalDropFactor during the warm-up the fidelity drop threshold is this many times
 *                          {@code minDrop} (no measurement-noise estimate exists yet) (v1: unused, 1; v2: 1.5,
 *                          i.e. a drop of 0.075)
 * @param provisionalNoiseRise during the warm-up the smallest noise rise that counts, as a fraction of the
 *                          lowest noise seen so far (v1: unused, 0.3; v2: 0.5, i.e. 1.5 x that lowest value; v3: 0.3)
 * @param noiseBaselineQuantile the noise baseline is this quantile of the noise history (v1, v2: 0.5, the median;
 *                          v3: 0.25, the lower quartile, so that a decaying speckle phase or a few noisy evals in the
 *                          history do not lift it)
 * @param appearedFidelity  the subject has appeared once a point's fidelity reaches this (cosine similarity in
 *                          the shipped encoder's feature space: recognisable samples score 0.5-0.85, the base
 *                          model's generic faces 0.2-0.4). Before that, only a collapse opens a window, see
 *                          {@code collapseNoiseRise} (v1, v2: -1, i.e. from the first point; v3: 0.45)
 * @param collapseNoiseRise before the subject appeared, a window opens when noise is at least {@code 1 +} this
 *                          many times its lowest level so far on {@code confirmPoints} consecutive points, whatever
 *                          fidelity does (v1, v2: unused; v3: 2.0, i.e. 3 x; the early-speckle phase of the real
 *                          clean traces reaches at most 2.8 x)
 * @param restartAtAppearance whether the references (fidelity and noise history) restart at the point where the
 *                          subject appears, when it appears suddenly (see {@code appearanceJump}) (v1, v2: false;
 *                          v3: true)
 * @param appearanceJump    the restart needs the appearing point's fidelity to exceed every earlier fidelity by at
 *                          least this much: a sudden appearance after an early-speckle phase, not a plateau slowly
 *                          crossing {@code appearedFidelity} (v1, v2: unused; v3: 0.1)
 */
public record DetectorParams(String version, int warmupPoints, int historyPoints, int peakPoints,
                             int confirmPoints, double minDrop, double dropSigmas, double noiseRise,
                             double noiseSigmas, double noiseSigmaFloor, double exitFraction,
                             double memorizationRatio, double sigma1Ratio, double improveDelta,
                             int trendPoints, int provisionalPoints, double provisionalDropFactor,
                             double provisionalNoiseRise, double noiseBaselineQuantile, double appearedFidelity,
                             double collapseNoiseRise, boolean restartAtAppearance, double appearanceJump) {

    /**
     * Version v1 (docs/detection.md): no window can open during the warm-up. Kept unchanged so that stored v1
     * verdicts can be replayed.
     */
    public static final DetectorParams V1 = new DetectorParams("v1", 5, 10, 12, 2, 0.05, 3.0, 0.3, 3.0, 0.05,
            0.5, 0.5, 0.5, 0.02, 5);

    /**
     * Version v2 (docs/detection.md), the default until v3: v1's values, plus provisional references during the warm-up
     * (from the 2nd point on: the highest fidelity and the lowest noise seen so far, a drop of 1.5 x minDrop, a
     * rise of 50%), so that a degradation starting at the 2nd or 3rd eval point can open a window.
     */
    public static final DetectorParams V2 = new DetectorParams("v2", 5, 10, 12, 2, 0.05, 3.0, 0.3, 3.0, 0.05,
            0.5, 0.5, 0.5, 0.02, 5, 1, 1.5, 0.5);

    /**
     * Version v3, the default (docs/detection.md): v2, plus references that start when the subject appears. Before
     * any point reached fidelity 0.45 only a collapse (noise at 3 x its lowest level so far, on 2 consecutive
     * points) opens a window, so the early-speckle phase of a healthy start is not one; when the subject appears
     * suddenly (0.1 above every earlier fidelity), the references restart from that point, so the speckle phase
     * does not inflate the noise baseline and the measurement-noise estimates of what follows; the noise baseline
     * is the lower quartile of the history, not its median, and the provisional noise rise is 30 %, as after
     * the warm-up.
     */
    public static final DetectorParams V3 = new DetectorParams("v3", 5, 10, 12, 2, 0.05, 3.0, 0.3, 3.0, 0.05,
            0.5, 0.5, 0.5, 0.02, 5, 1, 1.5, 0.3, 0.25, 0.45, 2.0, true, 0.1);

    /** Every released parameter set, by version: stored verdicts name theirs. */
    private static final List<DetectorParams> RELEASED = List.of(V1, V2, V3);

    /**
     * Parameters without provisional references during the warm-up ({@code provisionalPoints} 0, the
     * other two at their unused v1 values), as v1 defined them.
     */
    public DetectorParams(String version, int warmupPoints, int historyPoints, int peakPoints,
                          int confirmPoints, double minDrop, double dropSigmas, double noiseRise,
                          double noiseSigmas, double noiseSigmaFloor, double exitFraction,
                          double memorizationRatio, double sigma1Ratio, double improveDelta,
                          int trendPoints) {
        this(version, warmupPoints, historyPoints, peakPoints, confirmPoints, minDrop, dropSigmas, noiseRise,
                noiseSigmas, noiseSigmaFloor, exitFraction, memorizationRatio, sigma1Ratio, improveDelta,
                trendPoints, 0, 1.0, 0.3);
    }

    /** Parameters without v3's references from the subject's appearance on (as v1 and v2 defined them). */
    public DetectorParams(String version, int warmupPoints, int historyPoints, int peakPoints,
                          int confirmPoints, double minDrop, double dropSigmas, double noiseRise,
                          double noiseSigmas, double noiseSigmaFloor, double exitFraction,
                          double memorizationRatio, double sigma1Ratio, double improveDelta,
                          int trendPoints, int provisionalPoints, double provisionalDropFactor,
                          double provisionalNoiseRise) {
        this(version, warmupPoints, historyPoints, peakPoints, confirmPoints, minDrop, dropSigmas, noiseRise,
                noiseSigmas, noiseSigmaFloor, exitFraction, memorizationRatio, sigma1Ratio, improveDelta,
                trendPoints, provisionalPoints, provisionalDropFactor, provisionalNoiseRise, 0.5, -1, 2.0, false, 0.1);
    }

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
        if (provisionalPoints < 0 || provisionalPoints >= warmupPoints) {
            throw new IllegalArgumentException("provisionalPoints must be in [0, warmupPoints - 1], was "
                    + provisionalPoints);
        }
        if (!(provisionalDropFactor >= 1) || Double.isInfinite(provisionalDropFactor)) {
            throw new IllegalArgumentException("provisionalDropFactor must be a number >= 1, was "
                    + provisionalDropFactor);
        }
        positive("provisionalNoiseRise", provisionalNoiseRise);
        fraction("noiseBaselineQuantile", noiseBaselineQuantile);
        if (!(appearedFidelity >= -1 && appearedFidelity <= 1)) {
            throw new IllegalArgumentException("appearedFidelity must be in [-1, 1], was " + appearedFidelity);
        }
        positive("collapseNoiseRise", collapseNoiseRise);
        nonNegative("appearanceJump", appearanceJump);
    }

    /** The current default parameters ({@link #V3}). */
    public static DetectorParams defaults() {
        return V3;
    }

    /** The released parameter set of that version ("v1", "v2", "v3"), e.g. to replay a stored verdict. */
    public static Optional<DetectorParams> released(String version) {
        return RELEASED.stream().filter(p -> p.version().equals(version)).findFirst();
    }

    /** The versions of the released parameter sets, oldest first. */
    public static List<String> releasedVersions() {
        return RELEASED.stream().map(DetectorParams::version).toList();
    }

    /** Whether points are judged against provisional references during the warm-up (v2 on). */
    public boolean provisionalWarmup() {
        return provisionalPoints > 0;
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
