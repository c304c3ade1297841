package io.bayesweep.detect;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detector's targets on the labelled synthetic set (deterministic, so a plain assertion):
 * F1 >= 0.9 on corruption windows, median onset delay <= 2 eval steps, no false alarm on traces
 * without a labelled window (clean runs, spikes, drifts, one-sided bumps). On the real traces of the reproduction
 * runs (no targets yet): no false alarm, and the recall as measured, split by v1's warm-up.
 */
class DetectionEvaluationTest {
    private static final String REAL_DIR = "src/test/resources/traces/real";

    @Test
    void defaultsMeetTheTargetsOnTheSyntheticSet() throws IOException {
        DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(SyntheticTraces.DIR), DetectorParams.V1);
        report.lines().forEach(System.out::println);

        assertThat(report.traces()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(report.f1()).as("F1").isGreaterThanOrEqualTo(0.9);
        assertThat(report.medianOnsetDelay()).as("median onset delay").isLessThanOrEqualTo(2);
        assertThat(report.falseAlarms()).as("false alarms on traces without a labelled window").isZero();
        assertThat(report.falseAlarmsOn("clean")).isZero();
        assertThat(report.falseAlarmsOn("spike")).isZero();
    }

    @Test
    void noAlarmOnTheRealTracesOfTheReproductionRuns() throws IOException {
        // Real one-shot fine-tuning runs, labelled by looking at their sample grids (docs/reproduction.md, labels.json):
        // 7 clean wink runs (2026-11-28), 1 short wink dip, and 14 runs of 2026-12-06 (joy, penguin, blue_heart,
        // sunglasses) that all collapse into colour noise. No false alarm on the clean ones, and no detected window
        // outside a labelled one.
        DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(REAL_DIR), DetectorParams.V1);
        report.lines().forEach(System.out::println);

        assertThat(report.traces()).hasSizeGreaterThanOrEqualTo(22);
        assertThat(report.labelledWindows()).isGreaterThanOrEqualTo(15);
        assertThat(report.falseAlarmsOn("real-clean")).as("false alarms on real clean traces").isZero();
        assertThat(report.falseAlarms()).as("false alarms on real traces without a labelled window").isZero();
        assertThat(report.precision()).as("detected windows outside every labelled window").isEqualTo(1.0);
        // Recall as measured (2026-12-06: 7 of 15 labelled windows), not a target: a floor against regressions.
        assertThat(report.matchedLabelled()).as("labelled real windows found").isGreaterThanOrEqualTo(7);
    }

    @Test
    void onTheRealTracesV1FindsTheWindowsThatOpenAfterItsWarmUp() throws IOException {
        // Split the real windows by whether the trace has at least warmupPoints eval points before the labelled onset.
        // After the warm-up (the dense-eval runs, every 2 or 5 steps, and the wink dip): 5 of 6 found, 4 of them at
        // their labelled onset; the miss is the wink dip (fidelity too noisy for v1's threshold). Inside the warm-up
        // (eval every 10, collapse at the 2nd or 3rd eval): 9 windows, none found at its onset; 2 (penguin) are
        // credited by overlap with a window that opens 47-50 evals later, on a later noise flare (docs/detection.md).
        DetectorParams v1 = DetectorParams.V1;
        DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(REAL_DIR), v1);
        int afterWarmUp = 0, foundAfterWarmUp = 0, atOnsetAfterWarmUp = 0, inWarmUp = 0, atOnsetInWarmUp = 0;
        for (DetectionEvaluation.TraceResult trace : report.traces()) {
            List<EvalPoint> points = TraceCsv.read(Path.of(REAL_DIR).resolve(trace.file()));
            for (TraceLabels.LabelledWindow window : trace.labelled()) {
                long before = points.stream().filter(p -> p.step() < window.onset()).count();
                int i = trace.firstOverlapping(window);
                boolean atOnset = i >= 0 && trace.detected().get(i).onset() <= window.onset() + 2 * trace.evalEvery();
                if (before >= v1.warmupPoints()) {
                    afterWarmUp++;
                    foundAfterWarmUp += i >= 0 ? 1 : 0;
                    atOnsetAfterWarmUp += atOnset ? 1 : 0;
                } else {
                    inWarmUp++;
                    atOnsetInWarmUp += atOnset ? 1 : 0;
                }
            }
        }
        assertThat(afterWarmUp).isGreaterThanOrEqualTo(6);
        assertThat(foundAfterWarmUp).as("real windows after the warm-up that v1 finds").isGreaterThanOrEqualTo(5);
        assertThat(atOnsetAfterWarmUp).as("... within 2 eval steps of the labelled onset").isGreaterThanOrEqualTo(4);
        assertThat(inWarmUp).isGreaterThanOrEqualTo(9);
        // Measured, not asserted (a detector that does better here is welcome): none of the windows inside the warm-up
        // is found at its onset, by design of DetectorParams.warmupPoints.
        System.out.println("real windows inside v1's warm-up: " + inWarmUp + ", found at their onset: " + atOnsetInWarmUp);
    }

    @Test
    void docsShowTheCurrentResult() throws IOException {
        Path doc = Path.of("../docs/detection.md");
        Assumptions.assumeTrue(Files.isRegularFile(doc), "run from the core module of a checkout");
        String text = Files.readString(doc);
        DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(SyntheticTraces.DIR), DetectorParams.V1);

        for (String line : report.lines()) {
            assertThat(text).as("docs/detection.md shows the evaluation output").contains(
                    line.replace(SyntheticTraces.DIR, "core/" + SyntheticTraces.DIR));
        }
        DetectionEvaluation.Report real = DetectionEvaluation.evaluate(Path.of(REAL_DIR), DetectorParams.V1);
        for (String line : real.lines()) {
            assertThat(text).as("docs/detection.md shows the evaluation output on the real traces").contains(
                    line.replace(REAL_DIR, "core/" + REAL_DIR));
        }
    }

    @Test
    void theSetCatchesADetectorWithoutConfirmation() throws IOException {
        // The same thresholds with a 1-point confirmation: the spike traces must then alarm, or the set tests nothing.
        DetectorParams v1 = DetectorParams.V1;
        DetectorParams unconfirmed = new DetectorParams("unconfirmed", v1.warmupPoints(), v1.historyPoints(),
                v1.peakPoints(), 1, v1.minDrop(), v1.dropSigmas(), v1.noiseRise(), v1.noiseSigmas(),
                v1.noiseSigmaFloor(), v1.exitFraction(), v1.memorizationRatio(), v1.sigma1Ratio(), v1.improveDelta(),
                v1.trendPoints());

        DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(SyntheticTraces.DIR), unconfirmed);

        assertThat(report.falseAlarmsOn("spike")).isGreaterThanOrEqualTo(5);
        assertThat(report.precision()).isLessThan(0.9);
    }

    @Test
    void overlapCountsAsAMatchAndDelaysAreInEvalSteps() {
        var labelled = new TraceLabels.LabelledWindow(100, 160L);
        var hit = new CorruptionWindow(120, 170L, 0.2, 50);
        var miss = new CorruptionWindow(300, null, 0.2, 20);
        var trace = new DetectionEvaluation.TraceResult("t.csv", "dip", java.util.List.of(labelled),
                java.util.List.of(hit, miss), java.util.List.of(130L, 310L), 10, 320, DetectorState.CORRUPTED);

        DetectionEvaluation.Report report = DetectionEvaluation.score("v1", "dir", java.util.List.of(trace));

        assertThat(report.precision()).isEqualTo(0.5);
        assertThat(report.recall()).isEqualTo(1.0);
        assertThat(report.f1()).isCloseTo(2 * 0.5 / 1.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(report.onsetDelays()).containsExactly(2.0);
        assertThat(report.alertDelays()).containsExactly(3.0);
        assertThat(trace.spurious()).containsExactly(miss);
    }

    @Test
    void windowsThatOnlyTouchDoNotOverlap() {
        var labelled = new TraceLabels.LabelledWindow(100, 160L);
        var after = new CorruptionWindow(160, 200L, 0.2, 40);
        var trace = new DetectionEvaluation.TraceResult("t.csv", "dip", java.util.List.of(labelled),
                java.util.List.of(after), java.util.List.of(170L), 10, 300, DetectorState.RECOVERING);

        assertThat(trace.missed()).containsExactly(labelled);
    }
}
