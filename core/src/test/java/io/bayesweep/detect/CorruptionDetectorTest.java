package io.bayesweep.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CorruptionDetectorTest {
    static final double NaN = Double.NaN;

    /** A flat trace: fidelity 0.8 and noise 0.03 with a small deterministic wobble, eval every 10 steps. */
    static List<EvalPoint> plateau(int points) {
        List<EvalPoint> trace = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            double wobble = ((i * 7) % 5 - 2) / 2.0; // -1 .. 1
            trace.add(EvalPoint.of((i + 1) * 10L, 0.8 + 0.005 * wobble, 0.03 * (1 + 0.03 * wobble)));
        }
        return trace;
    }

    /** Replaces points [from, from + fidelity.length) with the given fidelity and noise. */
    static List<EvalPoint> with(List<EvalPoint> trace, int from, double[] fidelity, double[] noise) {
        List<EvalPoint> copy = new ArrayList<>(trace);
        for (int k = 0; k < fidelity.length; k++) {
            EvalPoint p = copy.get(from + k);
            copy.set(from + k, EvalPoint.of(p.step(), fidelity[k], noise[k]));
        }
        return copy;
    }

    static List<EvalPoint> scaleNoise(List<EvalPoint> trace, double factor) {
        return trace.stream().map(p -> new EvalPoint(p.step(), p.fidelity(), p.noise() * factor, p.diversity(),
                p.memorization(), p.sigma1(), p.loss())).toList();
    }

    static Verdict last(List<EvalPoint> trace) {
        List<Verdict> verdicts = CorruptionDetector.replay(trace, DetectorParams.V1);
        return verdicts.get(verdicts.size() - 1);
    }

    static final List<EvalPoint> DIP = with(plateau(40), 20,
            new double[] {0.6, 0.55, 0.58, 0.8, 0.8}, new double[] {0.09, 0.1, 0.08, 0.03, 0.03});

    @Test
    void aCleanPlateauHasNoWindow() {
        Verdict verdict = last(plateau(60));

        assertThat(verdict.windows()).isEmpty();
        assertThat(verdict.state()).isEqualTo(DetectorState.HEALTHY);
        assertThat(verdict.detector()).isEqualTo("v1");
    }

    @Test
    void oneBadPointNeverOpensAWindowHoweverBad() {
        List<EvalPoint> trace = with(plateau(40), 20, new double[] {-0.5}, new double[] {3.0});
        trace = with(trace, 30, new double[] {0.1}, new double[] {0.5});

        List<Verdict> verdicts = CorruptionDetector.replay(trace, DetectorParams.V1);

        assertThat(verdicts).allSatisfy(v -> {
            assertThat(v.windows()).isEmpty();
            assertThat(v.enteredWindow()).isFalse();
        });
    }

    @Test
    void twoConsecutiveBadPointsOpenAWindowAtTheFirst() {
        List<Verdict> verdicts = CorruptionDetector.replay(DIP, DetectorParams.V1);

        assertThat(verdicts.get(20).state()).isNotEqualTo(DetectorState.CORRUPTED);
        assertThat(verdicts.get(20).enteredWindow()).isFalse();
        Verdict entered = verdicts.get(21);
        assertThat(entered.enteredWindow()).isTrue();
        assertThat(entered.state()).isEqualTo(DetectorState.CORRUPTED);
        assertThat(entered.openWindow().onset()).isEqualTo(210);
        assertThat(entered.openWindow().end()).isNull();
        assertThat(entered.openWindow().duration()).isEqualTo(10);
        assertThat(verdicts.stream().filter(Verdict::enteredWindow)).hasSize(1);
    }

    @Test
    void theWindowClosesAtTheFirstPointBackToNormalWithItsDepth() {
        List<Verdict> verdicts = CorruptionDetector.replay(DIP, DetectorParams.V1);

        Verdict exited = verdicts.get(24);
        assertThat(exited.exitedWindow()).isTrue();
        assertThat(verdicts.get(23).exitedWindow()).isFalse();
        assertThat(verdicts.get(23).state()).isEqualTo(DetectorState.CORRUPTED);
        assertThat(exited.state()).isEqualTo(DetectorState.RECOVERING);
        CorruptionWindow window = exited.windows().get(0);
        assertThat(window.onset()).isEqualTo(210);
        assertThat(window.end()).isEqualTo(240);
        assertThat(window.duration()).isEqualTo(30);
        // peak: the highest median of 3 consecutive plateau values (0.8 + 0.005 x wobble)
        assertThat(window.depth()).isCloseTo(0.8025 - 0.55, within(0.003));
        assertThat(verdicts.stream().filter(Verdict::exitedWindow)).hasSize(1);
        assertThat(last(DIP).windows()).containsExactly(window);
    }

    @Test
    void bothSignalsAreNeeded() {
        List<EvalPoint> fidelityOnly = with(plateau(40), 20,
                new double[] {0.6, 0.55, 0.58, 0.6, 0.6}, new double[] {0.03, 0.03, 0.03, 0.03, 0.03});
        List<EvalPoint> noiseOnly = with(plateau(40), 20,
                new double[] {0.8, 0.8, 0.8, 0.8, 0.8}, new double[] {0.09, 0.1, 0.08, 0.1, 0.1});

        assertThat(last(fidelityOnly).windows()).isEmpty();
        assertThat(last(noiseOnly).windows()).isEmpty();
    }

    @Test
    void theAbsoluteScaleOfNoiseDoesNotMatter() {
        List<Verdict> reference = CorruptionDetector.replay(DIP, DetectorParams.V1);
        for (double factor : new double[] {1e-4, 0.1, 10, 1e4}) {
            assertThat(CorruptionDetector.replay(scaleNoise(DIP, factor), DetectorParams.V1))
                    .as("noise x" + factor).isEqualTo(reference);
        }
    }

    @Test
    void replayingGivesTheSameVerdictsAsFeedingLive() {
        CorruptionDetector live = new CorruptionDetector();
        List<Verdict> liveVerdicts = new ArrayList<>();
        for (EvalPoint p : DIP) {
            liveVerdicts.add(live.observe(p));
        }

        assertThat(CorruptionDetector.replay(DIP, DetectorParams.defaults())).isEqualTo(liveVerdicts);
        assertThat(CorruptionDetector.replay(DIP, DetectorParams.defaults())).isEqualTo(liveVerdicts);
        assertThat(liveVerdicts).allSatisfy(v -> assertThat(v.detector()).isEqualTo("v3"));
        assertThat(live.state()).isEqualTo(liveVerdicts.get(liveVerdicts.size() - 1).state());
        assertThat(live.windows()).isEqualTo(liveVerdicts.get(liveVerdicts.size() - 1).windows());
    }

    @Test
    void missingValuesNeitherStartNorBreakARun() {
        // a bad point, then one with fidelity missing but noise still high, then a bad point: a window from the first
        List<EvalPoint> gap = with(plateau(40), 20,
                new double[] {0.6, NaN, 0.58, 0.8, 0.8}, new double[] {0.09, 0.1, 0.08, 0.03, 0.03});
        assertThat(last(gap).windows()).singleElement().satisfies(w -> assertThat(w.onset()).isEqualTo(210));

        // a spike, then a point with nothing, then normal points: no window
        List<EvalPoint> spikeThenNothing = with(plateau(40), 20,
                new double[] {0.5, NaN, 0.8}, new double[] {0.1, NaN, 0.03});
        assertThat(last(spikeThenNothing).windows()).isEmpty();

        // a spike, then a point whose present signal is normal: the run is broken
        List<EvalPoint> spikeThenHalf = with(plateau(40), 20,
                new double[] {0.5, 0.5, 0.8}, new double[] {0.1, 0.031, NaN});
        assertThat(last(spikeThenHalf).windows()).isEmpty();

        // points with nothing at all are harmless everywhere
        List<EvalPoint> holes = with(plateau(40), 5, new double[] {NaN, NaN, NaN}, new double[] {NaN, NaN, NaN});
        assertThat(last(holes).windows()).isEmpty();
    }

    @Test
    void aTraceEndingInsideADipLeavesTheWindowOpen() {
        List<EvalPoint> stopped = DIP.subList(0, 23);

        Verdict verdict = last(stopped);

        assertThat(verdict.state()).isEqualTo(DetectorState.CORRUPTED);
        assertThat(verdict.openWindow()).isNotNull();
        assertThat(verdict.openWindow().end()).isNull();
        assertThat(verdict.openWindow().duration()).isEqualTo(230 - 210);
    }

    @Test
    void nothingOpensDuringWarmUp() {
        List<EvalPoint> trace = with(plateau(30), 1,
                new double[] {0.3, 0.3, 0.3}, new double[] {0.3, 0.3, 0.3});

        assertThat(last(trace).windows()).isEmpty();
    }

    @Test
    void aRepeatedStepIsIgnored() {
        CorruptionDetector detector = new CorruptionDetector();
        Verdict v = null;
        for (EvalPoint p : DIP.subList(0, 22)) {
            v = detector.observe(p);
        }
        assertThat(v.enteredWindow()).isTrue();

        Verdict again = detector.observe(DIP.get(21));
        Verdict earlier = detector.observe(EvalPoint.of(5, 0.0, 9.0));

        assertThat(again.enteredWindow()).isFalse();
        assertThat(again.step()).isEqualTo(220);
        assertThat(again.windows()).isEqualTo(v.windows());
        assertThat(earlier.windows()).isEqualTo(v.windows());
        assertThat(detector.observe(DIP.get(22)).step()).isEqualTo(230);
    }

    @Test
    void fidelityRisingIsImprovingThenAPlateauIsHealthy() {
        List<EvalPoint> trace = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            trace.add(EvalPoint.of((i + 1) * 10L, Math.min(0.85, 0.3 + 0.04 * i), 0.03));
        }
        List<Verdict> verdicts = CorruptionDetector.replay(trace, DetectorParams.V1);

        assertThat(verdicts.get(8).state()).isEqualTo(DetectorState.IMPROVING);
        assertThat(verdicts.get(39).state()).isEqualTo(DetectorState.HEALTHY);
    }

    @Test
    void memorizationFallingAfterAWindowIsOverfit() {
        List<EvalPoint> trace = new ArrayList<>();
        for (EvalPoint p : DIP) {
            int i = (int) (p.step() / 10) - 1;
            double memorization = i < 26 ? 0.15 : 0.15 * Math.max(0.05, 1 - 0.12 * (i - 25));
            trace.add(new EvalPoint(p.step(), p.fidelity(), p.noise(), NaN, memorization, NaN, NaN));
        }
        List<Verdict> verdicts = CorruptionDetector.replay(trace, DetectorParams.V1);

        assertThat(verdicts.get(25).state()).isEqualTo(DetectorState.RECOVERING);
        assertThat(verdicts.get(39).state()).isEqualTo(DetectorState.OVERFIT);
        assertThat(verdicts.get(39).windows()).hasSize(1);
    }

    @Test
    void sigma1NarrowingWithoutAnyWindowIsOverfitToo() {
        List<EvalPoint> trace = new ArrayList<>();
        for (EvalPoint p : plateau(40)) {
            int i = (int) (p.step() / 10) - 1;
            double sigma1 = i < 20 ? 2.0 : 0.3;
            trace.add(new EvalPoint(p.step(), p.fidelity(), p.noise(), NaN, NaN, sigma1, NaN));
        }
        List<Verdict> verdicts = CorruptionDetector.replay(trace, DetectorParams.V1);

        assertThat(verdicts.get(20).state()).isNotEqualTo(DetectorState.OVERFIT);
        assertThat(verdicts.get(39).state()).isEqualTo(DetectorState.OVERFIT);
        assertThat(verdicts.get(39).windows()).isEmpty();
    }

    @Test
    void aSecondDipIsASecondWindow() {
        List<EvalPoint> trace = with(DIP, 32, new double[] {0.6, 0.6, 0.6, 0.8, 0.8},
                new double[] {0.1, 0.1, 0.1, 0.03, 0.03});

        Verdict verdict = last(trace);

        assertThat(verdict.windows()).extracting(CorruptionWindow::onset).containsExactly(210L, 330L);
        assertThat(verdict.windows()).extracting(CorruptionWindow::end).containsExactly(240L, 360L);
    }

    @Test
    void parametersAreChecked() {
        assertThatThrownBy(() -> new DetectorParams("", 5, 10, 12, 2, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5))
                .hasMessageContaining("version");
        assertThatThrownBy(() -> new DetectorParams("x", 2, 10, 12, 2, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5))
                .hasMessageContaining("warmupPoints");
        assertThatThrownBy(() -> new DetectorParams("x", 5, 10, 12, 2, 0.05, 3, 0.3, 3, 0.05, 1.0, 0.5, 0.5, 0.02, 5))
                .hasMessageContaining("exitFraction");
        assertThatThrownBy(() -> new DetectorParams("x", 5, 10, 12, 2, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5,
                5, 1.5, 0.5)).hasMessageContaining("provisionalPoints");
        assertThatThrownBy(() -> new DetectorParams("x", 5, 10, 12, 2, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5,
                1, 0.5, 0.5)).hasMessageContaining("provisionalDropFactor");
        assertThatThrownBy(() -> new DetectorParams("x", 5, 10, 12, 2, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5,
                1, 1.5, 0)).hasMessageContaining("provisionalNoiseRise");
        assertThatThrownBy(() -> new DetectorParams("x", 5, 10, 12, 2, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5,
                1, 1.5, 0.3, 1.0, 0.45, 2.0, true, 0.1)).hasMessageContaining("noiseBaselineQuantile");
        assertThatThrownBy(() -> new DetectorParams("x", 5, 10, 12, 2, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5,
                1, 1.5, 0.3, 0.25, 1.5, 2.0, true, 0.1)).hasMessageContaining("appearedFidelity");
        assertThatThrownBy(() -> new DetectorParams("x", 5, 10, 12, 2, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5,
                1, 1.5, 0.3, 0.25, 0.45, 0, true, 0.1)).hasMessageContaining("collapseNoiseRise");
        assertThatThrownBy(() -> new DetectorParams("x", 5, 10, 12, 2, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5,
                1, 1.5, 0.3, 0.25, 0.45, 2.0, true, -0.1)).hasMessageContaining("appearanceJump");
        assertThat(DetectorParams.defaults()).isSameAs(DetectorParams.V3);
        assertThat(DetectorParams.V1.version()).isEqualTo("v1");
        assertThat(DetectorParams.V1.confirmPoints()).isEqualTo(2);
        assertThat(DetectorParams.V2.version()).isEqualTo("v2");
        assertThat(DetectorParams.V2.confirmPoints()).isEqualTo(2);
    }

    @Test
    void v1IsUnchangedAndV2DiffersOnlyInTheWarmUp() {
        // v1's values as released: stored v1 verdicts must replay to the same result
        assertThat(DetectorParams.V1).isEqualTo(new DetectorParams("v1", 5, 10, 12, 2, 0.05, 3.0, 0.3, 3.0, 0.05,
                0.5, 0.5, 0.5, 0.02, 5, 0, 1.0, 0.3));
        assertThat(DetectorParams.V1.provisionalWarmup()).isFalse();
        assertThat(DetectorParams.V2).isEqualTo(new DetectorParams("v2", 5, 10, 12, 2, 0.05, 3.0, 0.3, 3.0, 0.05,
                0.5, 0.5, 0.5, 0.02, 5, 1, 1.5, 0.5));
        assertThat(DetectorParams.V2.provisionalWarmup()).isTrue();
        // v1 and v2 take the subject as there from the first point, and never restart their references
        for (DetectorParams old : List.of(DetectorParams.V1, DetectorParams.V2)) {
            assertThat(old.appearedFidelity()).isEqualTo(-1);
            assertThat(old.noiseBaselineQuantile()).isEqualTo(0.5);
            assertThat(old.restartAtAppearance()).isFalse();
        }
    }

    @Test
    void releasedVersionsCanBeLookedUpToReplayStoredVerdicts() {
        assertThat(DetectorParams.released("v1")).containsSame(DetectorParams.V1);
        assertThat(DetectorParams.released("v2")).containsSame(DetectorParams.V2);
        assertThat(DetectorParams.released("v3")).containsSame(DetectorParams.V3);
        assertThat(DetectorParams.released("v4")).isEmpty();
        assertThat(DetectorParams.releasedVersions()).containsExactly("v1", "v2", "v3");
        assertThat(new CorruptionDetector().params()).isSameAs(DetectorParams.defaults());
    }

    @Test
    void aCustomVersionIsInEveryVerdict() {
        DetectorParams custom = new DetectorParams("v1-strict", 5, 10, 12, 3, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5);

        assertThat(CorruptionDetector.replay(DIP, custom)).allSatisfy(v -> assertThat(v.detector()).isEqualTo("v1-strict"));
        assertThat(last(DIP).detector()).isEqualTo("v1");
    }

    // ---------------------------------------------------------------------------------------------
    // v2: provisional references during the warm-up

    static List<Verdict> replay(List<EvalPoint> trace, DetectorParams params) {
        return CorruptionDetector.replay(trace, params);
    }

    static List<CorruptionWindow> windows(List<EvalPoint> trace, DetectorParams params) {
        List<Verdict> verdicts = replay(trace, params);
        return verdicts.get(verdicts.size() - 1).windows();
    }

    /** The trace of a sequence of fidelity and noise values, eval every 10 steps. */
    static List<EvalPoint> trace(double[] fidelity, double[] noise) {
        List<EvalPoint> trace = new ArrayList<>();
        for (int i = 0; i < fidelity.length; i++) {
            trace.add(EvalPoint.of((i + 1) * 10L, fidelity[i], noise[i]));
        }
        return trace;
    }

    /** {@code head}, then a plateau at {@code level} (noise 0.03) with the small wobble of {@link #plateau}, to 30 points. */
    static double[][] thenPlateau(double[] fidelityHead, double[] noiseHead, double level) {
        double[] fidelity = new double[30];
        double[] noise = new double[30];
        for (int i = 0; i < 30; i++) {
            double wobble = ((i * 7) % 5 - 2) / 2.0;
            fidelity[i] = i < fidelityHead.length ? fidelityHead[i] : level + 0.005 * wobble;
            noise[i] = i < noiseHead.length ? noiseHead[i] : 0.03 * (1 + 0.03 * wobble);
        }
        return new double[][] {fidelity, noise};
    }

    static DetectorParams v2With(String version, int confirmPoints, double provisionalNoiseRise) {
        return with(DetectorParams.V2, version, confirmPoints, provisionalNoiseRise);
    }

    /** A released parameter set with another name, confirmation length and provisional noise rise. */
    static DetectorParams with(DetectorParams p, String version, int confirmPoints, double provisionalNoiseRise) {
        return new DetectorParams(version, p.warmupPoints(), p.historyPoints(), p.peakPoints(), confirmPoints,
                p.minDrop(), p.dropSigmas(), p.noiseRise(), p.noiseSigmas(), p.noiseSigmaFloor(), p.exitFraction(),
                p.memorizationRatio(), p.sigma1Ratio(), p.improveDelta(), p.trendPoints(), p.provisionalPoints(),
                p.provisionalDropFactor(), provisionalNoiseRise, p.noiseBaselineQuantile(), p.appearedFidelity(),
                p.collapseNoiseRise(), p.restartAtAppearance(), p.appearanceJump());
    }

    /**
     * Fidelity rises over the first 2 points (0.50, 0.60), then falls while noise more than doubles at points 3
     * and 4 (steps 30, 40), and is back from point 5 on: a degradation inside the 5-point warm-up.
     */
    static final List<EvalPoint> WARMUP_DIP;

    static {
        double[][] t = thenPlateau(new double[] {0.50, 0.60, 0.35, 0.30, 0.62, 0.66, 0.70, 0.72},
                new double[] {0.030, 0.029, 0.070, 0.080, 0.031, 0.030, 0.030, 0.029}, 0.74);
        WARMUP_DIP = trace(t[0], t[1]);
    }

    @Test
    void v2OpensAWindowDuringTheWarmUp() {
        List<Verdict> verdicts = replay(WARMUP_DIP, DetectorParams.V2);

        assertThat(verdicts.get(2).enteredWindow()).isFalse();
        assertThat(verdicts.get(2).state()).isNotEqualTo(DetectorState.CORRUPTED);
        Verdict entered = verdicts.get(3);
        assertThat(entered.enteredWindow()).isTrue();
        assertThat(entered.state()).isEqualTo(DetectorState.CORRUPTED);
        assertThat(entered.openWindow().onset()).isEqualTo(30);
        assertThat(entered.detector()).isEqualTo("v2");
        // back at steps 50 and 60: the window ends at 50; depth from the provisional peak (0.60, the highest so far)
        Verdict exited = verdicts.get(5);
        assertThat(exited.exitedWindow()).isTrue();
        assertThat(exited.state()).isEqualTo(DetectorState.RECOVERING);
        assertThat(exited.windows()).singleElement().satisfies(w -> {
            assertThat(w.onset()).isEqualTo(30);
            assertThat(w.end()).isEqualTo(50);
            assertThat(w.depth()).isCloseTo(0.60 - 0.30, within(1e-9));
        });
        assertThat(verdicts.get(verdicts.size() - 1).windows()).hasSize(1);
        // v1 cannot: its first 5 points only calibrate the references, the dip among them
        assertThat(windows(WARMUP_DIP, DetectorParams.V1)).isEmpty();
    }

    @Test
    void v2OpensFromTheSecondPointWhereV1SeesNothing() {
        // the trace of nothingOpensDuringWarmUp (v1): the second point is already bad, judged against the first alone
        List<EvalPoint> trace = with(plateau(30), 1, new double[] {0.3, 0.3, 0.3}, new double[] {0.3, 0.3, 0.3});

        assertThat(windows(trace, DetectorParams.V2)).singleElement().satisfies(w -> {
            assertThat(w.onset()).isEqualTo(20);
            assertThat(w.end()).isEqualTo(50);
        });
        assertThat(windows(trace, DetectorParams.V1)).isEmpty();
    }

    @Test
    void v2SeesNoWindowInAnEarlySpecklePhase() {
        // high noise on the first eval points, decaying, while fidelity rises: the start of many clean runs
        double[][] rising = thenPlateau(new double[] {0.30, 0.40, 0.50, 0.58, 0.64, 0.69, 0.72},
                new double[] {0.30, 0.20, 0.10, 0.05, 0.035, 0.031, 0.030}, 0.75);
        // harder: fidelity falls for a few points below a first eval that is still close to the base model, while the
        // speckle decays unevenly (0.12, then 0.15 and 0.14: 25% and 17% above the lowest so far); as wink-base-lr3e-3
        double[][] uneven = thenPlateau(new double[] {0.50, 0.40, 0.38, 0.40, 0.55, 0.62, 0.68, 0.72},
                new double[] {0.30, 0.12, 0.15, 0.14, 0.06, 0.04, 0.035, 0.031}, 0.76);

        for (double[][] t : List.of(rising, uneven)) {
            List<Verdict> verdicts = replay(trace(t[0], t[1]), DetectorParams.V2);
            assertThat(verdicts).allSatisfy(v -> {
                assertThat(v.windows()).isEmpty();
                assertThat(v.state()).isNotEqualTo(DetectorState.CORRUPTED);
            });
        }
        // the uneven decay is close enough to tell: with a provisional rise of 10% instead of 50% it opens a window
        assertThat(windows(trace(uneven[0], uneven[1]), v2With("v2-loose", 2, 0.1))).isNotEmpty();
    }

    @Test
    void v2NeverOpensOnASinglePointSpikeDuringTheWarmUp() {
        for (int at = 1; at <= 4; at++) {
            double[] fidelity = {0.40, 0.48, 0.55, 0.60, 0.64, 0.67};
            double[] noise = {0.030, 0.031, 0.029, 0.030, 0.031, 0.030};
            fidelity[at] = -0.3;
            noise[at] = 0.3;
            double[][] t = thenPlateau(fidelity, noise, 0.7);
            List<EvalPoint> spiked = trace(t[0], t[1]);

            assertThat(replay(spiked, DetectorParams.V2)).as("spike at point " + (at + 1)).allSatisfy(v -> {
                assertThat(v.windows()).isEmpty();
                assertThat(v.enteredWindow()).isFalse();
            });
            // the spike is judged bad: one point less to confirm, and it opens a window
            assertThat(windows(spiked, v2With("v2-unconfirmed", 1, DetectorParams.V2.provisionalNoiseRise())))
                    .as("spike at point " + (at + 1) + ", confirmPoints 1").isNotEmpty();
        }
    }

    @Test
    void theAbsoluteScaleOfNoiseDoesNotMatterForV2() {
        for (List<EvalPoint> trace : List.of(WARMUP_DIP, DIP)) {
            List<Verdict> reference = replay(trace, DetectorParams.V2);
            assertThat(reference.get(reference.size() - 1).windows()).isNotEmpty();
            for (double factor : new double[] {1e-4, 0.1, 10, 1e4}) {
                assertThat(replay(scaleNoise(trace, factor), DetectorParams.V2)).as("noise x" + factor)
                        .isEqualTo(reference);
            }
        }
    }

    @Test
    void afterItsWarmUpV2JudgesLikeV1() {
        // points 1-5 normal: both calibrate the same references; v2's verdicts are v1's but for the version
        List<Verdict> v1 = replay(DIP, DetectorParams.V1);
        List<Verdict> v2 = replay(DIP, DetectorParams.V2);

        assertThat(v2).hasSameSizeAs(v1);
        for (int i = 0; i < v1.size(); i++) {
            Verdict a = v1.get(i);
            Verdict b = v2.get(i);
            assertThat(new Verdict(b.step(), b.state(), b.enteredWindow(), b.exitedWindow(), b.windows(), "v1"))
                    .isEqualTo(a);
        }
    }

    /** Generic base-model faces, an early-speckle phase (noise x2.1, fidelity down 0.1), then the subject and a plateau. */
    static double[][] earlySpeckleThenSubject() {
        return thenPlateau(
                new double[] {0.30, 0.33, 0.36, 0.30, 0.25, 0.24, 0.26, 0.32, 0.62, 0.66, 0.68, 0.70},
                new double[] {0.040, 0.041, 0.043, 0.060, 0.080, 0.084, 0.070, 0.050, 0.040, 0.039, 0.040, 0.039}, 0.72);
    }

    @Test
    void v3OpensNoWindowOnEarlySpeckleBeforeTheSubjectAppears() {
        double[][] t = earlySpeckleThenSubject();
        List<EvalPoint> trace = trace(t[0], t[1]);

        assertThat(windows(trace, DetectorParams.V3)).isEmpty();
        // v2 takes the speckle for a corruption window: the reason for v3
        assertThat(windows(trace, DetectorParams.V2)).isNotEmpty();
    }

    @Test
    void v3OpensAWindowOnACollapseBeforeTheSubjectAppears() {
        // fidelity never reaches 0.45 while noise quadruples and stays: samples turned to colour noise
        double[] fidelity = {0.20, 0.25, 0.15, 0.10, 0.05, 0.08, 0.06, 0.04, 0.07, 0.05};
        double[] noise = {0.030, 0.031, 0.095, 0.120, 0.150, 0.140, 0.160, 0.150, 0.155, 0.150};

        assertThat(windows(trace(fidelity, noise), DetectorParams.V3)).singleElement().satisfies(w -> {
            assertThat(w.onset()).isEqualTo(30);
            assertThat(w.end()).isNull();
        });
    }

    @Test
    void v3FindsAMildDipAfterTheEarlySpeckleThatV2Misses() {
        // after the speckle phase the subject appears suddenly; then fidelity drops 0.2 while noise rises 35 %:
        // v2's references still hold the speckle (median noise raised, noise sigma inflated), v3's restarted
        double[] fidelity = {0.30, 0.33, 0.30, 0.25, 0.24, 0.26, 0.32, 0.62, 0.60, 0.40, 0.42, 0.38, 0.45, 0.62, 0.66,
                0.68, 0.70, 0.69, 0.70};
        double[] noise = {0.040, 0.043, 0.060, 0.080, 0.084, 0.070, 0.050, 0.036, 0.036, 0.049, 0.050, 0.049, 0.047,
                0.037, 0.036, 0.037, 0.036, 0.037, 0.036};
        List<EvalPoint> trace = trace(fidelity, noise);

        assertThat(windows(trace, DetectorParams.V3)).singleElement().satisfies(w -> {
            assertThat(w.onset()).isEqualTo(100);
            assertThat(w.end()).isEqualTo(140);
        });
        assertThat(windows(trace, DetectorParams.V2)).noneMatch(w -> w.onset() >= 80);
    }

    @Test
    void theAbsoluteScaleOfNoiseDoesNotMatterForV3() {
        double[][] t = earlySpeckleThenSubject();
        for (List<EvalPoint> trace : List.of(WARMUP_DIP, DIP, trace(t[0], t[1]))) {
            List<Verdict> reference = replay(trace, DetectorParams.V3);
            for (double factor : new double[] {1e-4, 0.1, 10, 1e4}) {
                assertThat(replay(scaleNoise(trace, factor), DetectorParams.V3)).as("noise x" + factor)
                        .isEqualTo(reference);
            }
        }
    }
}
