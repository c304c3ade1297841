package io.bayesweep.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The corruption-stage detector of one trial: fed its eval points one at a time, in step order,
 * it tells after each point the trial's {@link DetectorState} and its corruption windows
 * (docs/detection.md). A window opens when fidelity dropped significantly below its running peak
 * <em>and</em> noise rose above its baseline, on {@link DetectorParams#confirmPoints()} consecutive
 * points; it closes when either signal is back to normal on as many consecutive points. Until the
 * history holds {@link DetectorParams#warmupPoints()} normal points (the warm-up), v1 opens no window,
 * while v2 judges each point against provisional references: the highest fidelity and the lowest
 * noise seen so far, with stricter thresholds ({@link DetectorParams#provisionalPoints()}). v3 also waits for
 * the subject to appear ({@link DetectorParams#appearedFidelity()}): before that only a collapse opens a window
 * (noise at {@code 1 + collapseNoiseRise} times its lowest level so far), and when the subject appears suddenly
 * the references restart from there ({@link DetectorParams#restartAtAppearance()}), so that an early-speckle
 * phase neither alarms nor inflates the references of what follows.
 *
 * <p>Deterministic: the verdicts depend only on the points and the parameters, so replaying a
 * stored trial gives the verdicts the live detector gave. Not thread-safe: one instance per trial,
 * fed by one thread.
 *
 * <p>Missing values ({@code NaN}, or any non-finite value) never count as evidence either way: a
 * point with one signal missing can extend a run the other signal supports but cannot start one
 * on its own, and a point with both missing changes nothing. A point whose step is not greater
 * than the previous one (a replayed step) is ignored: {@link #observe} answers the previous
 * verdict again, with no transition.
 */
public final class CorruptionDetector {
    private final DetectorParams params;

    /** Fidelity and noise of the latest points judged normal: outside windows and not in a candidate run. */
    private final Deque<Double> fidelityHistory = new ArrayDeque<>();
    private final Deque<Double> noiseHistory = new ArrayDeque<>();
    private final int fidelityCapacity;

    /** Points that are corrupt on both signals since the last normal point, not yet confirmed. */
    private final List<EvalPoint> entryRun = new ArrayList<>();
    /** Points back to normal inside the open window, not yet confirmed. */
    private final List<EvalPoint> exitRun = new ArrayList<>();
    private OpenWindow open;
    private final List<CorruptionWindow> closed = new ArrayList<>();

    private final EarlyReference memorization;
    private final EarlyReference sigma1;
    private boolean overfit;

    /** Whether some point reached {@link DetectorParams#appearedFidelity()} (always, for v1 and v2). */
    private boolean appeared;
    /** Before the subject appeared: the lowest noise and the highest fidelity so far, and the points of a collapse. */
    private double lowestEarlyNoise = Double.POSITIVE_INFINITY;
    private double highestEarlyFidelity = Double.NEGATIVE_INFINITY;
    private final List<EvalPoint> collapseRun = new ArrayList<>();

    private long lastStep;
    private boolean anyPoint;
    private Verdict last;

    /** With the default parameters, {@link DetectorParams#defaults()}. */
    public CorruptionDetector() {
        this(DetectorParams.defaults());
    }

    public CorruptionDetector(DetectorParams params) {
        this.params = Objects.requireNonNull(params, "params");
        this.fidelityCapacity = Math.max(params.historyPoints(),
                Math.max(params.peakPoints() + 2, params.trendPoints() + 3));
        this.memorization = new EarlyReference(params.memorizationRatio());
        this.sigma1 = new EarlyReference(params.sigma1Ratio());
        this.appeared = params.appearedFidelity() <= -1;
    }

    /** Runs a fresh detector over a whole trace and returns one verdict per point. */
    public static List<Verdict> replay(Iterable<EvalPoint> points, DetectorParams params) {
        CorruptionDetector detector = new CorruptionDetector(params);
        List<Verdict> verdicts = new ArrayList<>();
        for (EvalPoint point : points) {
            verdicts.add(detector.observe(point));
        }
        return verdicts;
    }

    public DetectorParams params() {
        return params;
    }

    /** The state after the latest point ({@code HEALTHY} before any). */
    public DetectorState state() {
        return last == null ? DetectorState.HEALTHY : last.state();
    }

    /** Every window so far, oldest first (empty before any point). */
    public List<CorruptionWindow> windows() {
        return last == null ? List.of() : last.windows();
    }

    /** Feeds the next eval point of the trial and returns the verdict after it. */
    public Verdict observe(EvalPoint point) {
        Objects.requireNonNull(point, "point");
        if (anyPoint && point.step() <= lastStep) {
            return new Verdict(last.step(), last.state(), false, false, last.windows(), params.version());
        }
        anyPoint = true;
        lastStep = point.step();
        boolean entered = false;
        boolean exited = false;
        // Keep this block inline: moved into a method of its own (with the early-fidelity tracking), C2 of OpenJDK
        // 17.0.15 miscompiled observe() into a SIGSEGV (a null narrow oop dereferenced without its null check) in 3-4
        // of 10 runs of RandomizedTracesTest; as written here, 0 in 42.
        if (!appeared && point.hasFidelity() && point.fidelity() >= params.appearedFidelity()) {
            appeared = true;
            boolean sudden = point.fidelity() - highestEarlyFidelity >= params.appearanceJump();
            if (params.restartAtAppearance() && open == null && sudden) {
                // what came before the subject (early speckle, the base model's faces) is no reference for later
                fidelityHistory.clear();
                noiseHistory.clear();
                entryRun.clear();
                collapseRun.clear();
            }
        }
        if (open == null) {
            entered = observeOutside(point);
        } else {
            exited = observeInside(point);
        }
        boolean memorizationLow = memorization.observe(point.memorization(), params);
        boolean sigma1Narrow = sigma1.observe(point.sigma1(), params);
        if (entered) {
            overfit = false;
        } else if (open == null && (memorizationLow || sigma1Narrow)) {
            overfit = true;
        }
        last = new Verdict(point.step(), nextState(), entered, exited, currentWindows(), params.version());
        return last;
    }

    private boolean observeOutside(EvalPoint point) {
        if (!appeared) {
            return observeBeforeAppearance(point);
        }
        Thresholds t = thresholds();
        if (t == null) {
            remember(point);
            return false;
        }
        Boolean fidelityLow = point.hasFidelity() ? t.peak - point.fidelity() >= t.drop : null;
        Boolean noiseHigh = point.hasNoise() ? point.noise() >= t.baseline + t.rise : null;
        if (Boolean.FALSE.equals(fidelityLow) || Boolean.FALSE.equals(noiseHigh)) {
            // A normal point: whatever run was building was a spike; it never enters the history.
            entryRun.clear();
            remember(point);
            return false;
        }
        if (Boolean.TRUE.equals(fidelityLow) && Boolean.TRUE.equals(noiseHigh)) {
            entryRun.add(point);
            if (entryRun.size() >= params.confirmPoints()) {
                open = new OpenWindow(entryRun.get(0).step(), t);
                entryRun.forEach(open::include);
                entryRun.clear();
                return true;
            }
        }
        return false; // one signal missing, the other corrupt: neither confirms nor breaks a run
    }

    /**
     * Before the subject has appeared, a fidelity drop means little (there is no healthy reference yet, and the
     * early-speckle phase of a healthy start looks like one), so only a collapse opens a window: noise at
     * {@code 1 + collapseNoiseRise} times its lowest level so far on {@code confirmPoints} consecutive points.
     */
    private boolean observeBeforeAppearance(EvalPoint point) {
        if (point.hasFidelity()) {
            highestEarlyFidelity = Math.max(highestEarlyFidelity, point.fidelity());
        }
        if (!point.hasNoise()) {
            remember(point);
            return false;
        }
        double rise = positive(params.collapseNoiseRise() * Math.abs(lowestEarlyNoise));
        if (Double.isFinite(lowestEarlyNoise) && point.noise() >= lowestEarlyNoise + rise) {
            collapseRun.add(point);
            if (collapseRun.size() >= params.confirmPoints()) {
                open = new OpenWindow(collapseRun.get(0).step(),
                        new Thresholds(highestEarlyFidelity, Double.NaN, lowestEarlyNoise, rise, true));
                collapseRun.forEach(open::include);
                collapseRun.clear();
                return true;
            }
            return false;
        }
        collapseRun.clear();
        lowestEarlyNoise = Math.min(lowestEarlyNoise, point.noise());
        remember(point);
        return false;
    }

    private boolean observeInside(EvalPoint point) {
        Thresholds t = open.thresholds;
        double exit = params.exitFraction();
        Boolean fidelityBack = point.hasFidelity() && !t.noiseOnly ? t.peak - point.fidelity() < exit * t.drop : null;
        Boolean noiseBack = point.hasNoise() ? point.noise() < t.baseline + exit * t.rise : null;
        if (Boolean.TRUE.equals(fidelityBack) || Boolean.TRUE.equals(noiseBack)) {
            exitRun.add(point);
            if (exitRun.size() >= params.confirmPoints()) {
                closed.add(open.close(exitRun.get(0).step()));
                exitRun.forEach(this::remember);
                exitRun.clear();
                open = null;
                return true;
            }
        } else if (Boolean.FALSE.equals(fidelityBack) || Boolean.FALSE.equals(noiseBack)) {
            exitRun.forEach(open::include);
            exitRun.clear();
            open.include(point);
        }
        return false;
    }

    private DetectorState nextState() {
        if (open != null) {
            return DetectorState.CORRUPTED;
        }
        if (overfit) {
            return DetectorState.OVERFIT;
        }
        if (!closed.isEmpty()) {
            return DetectorState.RECOVERING;
        }
        return improving() ? DetectorState.IMPROVING : DetectorState.HEALTHY;
    }

    private List<CorruptionWindow> currentWindows() {
        if (open == null) {
            return closed;
        }
        List<CorruptionWindow> all = new ArrayList<>(closed);
        all.add(open.snapshot(lastStep));
        return all;
    }

    private void remember(EvalPoint point) {
        if (point.hasFidelity()) {
            push(fidelityHistory, point.fidelity(), fidelityCapacity);
        }
        if (point.hasNoise()) {
            push(noiseHistory, point.noise(), params.historyPoints());
        }
    }

    private static void push(Deque<Double> deque, double value, int capacity) {
        deque.addLast(value);
        while (deque.size() > capacity) {
            deque.removeFirst();
        }
    }

    /**
     * The entry thresholds from the history; during the warm-up the provisional ones (v2), or null while the
     * history holds too few points to judge any.
     */
    private Thresholds thresholds() {
        if (fidelityHistory.size() < params.warmupPoints() || noiseHistory.size() < params.warmupPoints()) {
            return provisionalThresholds();
        }
        double[] fidelity = toArray(fidelityHistory);
        int n = fidelity.length;
        double peak = Double.NEGATIVE_INFINITY;
        for (int i = Math.max(2, n - params.peakPoints()); i < n; i++) {
            peak = Math.max(peak, median3(fidelity[i - 2], fidelity[i - 1], fidelity[i]));
        }
        double fidelitySigma = diffSigma(Arrays.copyOfRange(fidelity, Math.max(0, n - params.historyPoints()), n));
        double drop = Math.max(params.minDrop(), params.dropSigmas() * fidelitySigma);

        double[] noise = toArray(noiseHistory);
        double baseline = quantile(noise, params.noiseBaselineQuantile());
        double noiseSigma = Math.max(diffSigma(noise), params.noiseSigmaFloor() * Math.abs(baseline));
        double rise = Math.max(params.noiseRise() * Math.abs(baseline), params.noiseSigmas() * noiseSigma);
        return new Thresholds(peak, drop, baseline, positive(rise));
    }

    /**
     * Warm-up references (v2) from the few normal points seen so far: the highest fidelity (no median of 3: too
     * few points, and the early points are the healthy reference), the lowest noise (clean runs often start with
     * an early speckle phase that decays), a drop of {@code provisionalDropFactor x minDrop} (no measurement-noise
     * estimate yet) and a rise of {@code provisionalNoiseRise x} that lowest noise. Null when v1 (no provisional
     * references) or too few points.
     */
    private Thresholds provisionalThresholds() {
        int needed = params.provisionalPoints();
        if (needed == 0 || fidelityHistory.size() < needed || noiseHistory.size() < needed) {
            return null;
        }
        double peak = Double.NEGATIVE_INFINITY;
        for (double f : fidelityHistory) {
            peak = Math.max(peak, f);
        }
        double baseline = Double.POSITIVE_INFINITY;
        for (double n : noiseHistory) {
            baseline = Math.min(baseline, n);
        }
        double drop = params.provisionalDropFactor() * params.minDrop();
        return new Thresholds(peak, drop, baseline, positive(params.provisionalNoiseRise() * Math.abs(baseline)));
    }

    /** A noise rise threshold, at least the smallest positive number: on a zero baseline any positive noise rises. */
    private static double positive(double rise) {
        return rise > 0 ? rise : Double.MIN_VALUE;
    }

    private boolean improving() {
        double[] fidelity = toArray(fidelityHistory);
        int n = fidelity.length;
        if (n < 4) {
            return false;
        }
        double now = median3(fidelity[n - 3], fidelity[n - 2], fidelity[n - 1]);
        int from = Math.max(0, n - 3 - params.trendPoints());
        double then = median3(fidelity[from], fidelity[from + 1], fidelity[from + 2]);
        return now - then >= params.improveDelta();
    }

    /** Robust standard deviation of a series' point-to-point noise: MAD of its first differences / sqrt 2. */
    static double diffSigma(double[] values) {
        if (values.length < 3) {
            return 0;
        }
        double[] diffs = new double[values.length - 1];
        for (int i = 1; i < values.length; i++) {
            diffs[i - 1] = values[i] - values[i - 1];
        }
        double center = median(diffs);
        double[] deviations = new double[diffs.length];
        for (int i = 0; i < diffs.length; i++) {
            deviations[i] = Math.abs(diffs[i] - center);
        }
        return 1.4826 * median(deviations) / Math.sqrt(2);
    }

    /** The q-quantile (linear interpolation between order statistics; 0.5 is the median). */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double median3(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static double[] toArray(Deque<Double> deque) {
        double[] values = new double[deque.size()];
        Iterator<Double> it = deque.iterator();
        for (int i = 0; i < values.length; i++) {
            values[i] = it.next();
        }
        return values;
    }

    /**
     * Entry thresholds, frozen when a window opens: the running fidelity peak and the smallest drop
     * below it that counts; the noise baseline and the smallest rise above it that counts.
     */
    private record Thresholds(double peak, double drop, double baseline, double rise, boolean noiseOnly) {
        Thresholds(double peak, double drop, double baseline, double rise) {
            this(peak, drop, baseline, rise, false);
        }
    }

    private static final class OpenWindow {
        final long onset;
        final Thresholds thresholds;
        double lowest = Double.POSITIVE_INFINITY;

        OpenWindow(long onset, Thresholds thresholds) {
            this.onset = onset;
            this.thresholds = thresholds;
        }

        void include(EvalPoint point) {
            if (point.hasFidelity()) {
                lowest = Math.min(lowest, point.fidelity());
            }
        }

        double depth() {
            return Double.isFinite(lowest) ? thresholds.peak - lowest : 0;
        }

        CorruptionWindow snapshot(long latestStep) {
            return new CorruptionWindow(onset, null, depth(), latestStep - onset);
        }

        CorruptionWindow close(long end) {
            return new CorruptionWindow(onset, end, depth(), end - onset);
        }
    }

    /**
     * A metric that signals over-fitting by falling to a fraction of its early level: the median of
     * its first {@code warmupPoints} valid values is the reference; evidence is the median of its
     * last 3 values at or below {@code ratio} x reference on {@code confirmPoints} consecutive valid points.
     */
    private static final class EarlyReference {
        final double ratio;
        final List<Double> early = new ArrayList<>();
        final Deque<Double> recent = new ArrayDeque<>();
        double reference = Double.NaN;
        int run;

        EarlyReference(double ratio) {
            this.ratio = ratio;
        }

        boolean observe(double value, DetectorParams params) {
            if (Double.isFinite(value)) {
                if (Double.isNaN(reference)) {
                    early.add(value);
                    if (early.size() == params.warmupPoints()) {
                        reference = median(early.stream().mapToDouble(Double::doubleValue).toArray());
                    }
                }
                push(recent, value, 3);
                if (!Double.isNaN(reference) && reference > 0) {
                    double smoothed = median(toArray(recent));
                    run = smoothed <= ratio * reference ? run + 1 : 0;
                }
            }
            return run >= params.confirmPoints();
        }
    }
}
