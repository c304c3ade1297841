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

        assertThat(CorruptionDetector.replay(DIP, DetectorParams.V1)).isEqualTo(liveVerdicts);
        assertThat(CorruptionDetector.replay(DIP, DetectorParams.V1)).isEqualTo(liveVerdicts);
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
        assertThat(DetectorParams.defaults()).isSameAs(DetectorParams.V1);
        assertThat(DetectorParams.V1.version()).isEqualTo("v1");
        assertThat(DetectorParams.V1.confirmPoints()).isEqualTo(2);
    }

    @Test
    void aCustomVersionIsInEveryVerdict() {
        DetectorParams custom = new DetectorParams("v1-strict", 5, 10, 12, 3, 0.05, 3, 0.3, 3, 0.05, 0.5, 0.5, 0.5, 0.02, 5);

        assertThat(CorruptionDetector.replay(DIP, custom)).allSatisfy(v -> assertThat(v.detector()).isEqualTo("v1-strict"));
        assertThat(last(DIP).detector()).isEqualTo("v1");
    }
}
