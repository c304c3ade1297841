package io.bayesweep.detect;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detector's targets on the labelled synthetic set (deterministic, so a plain assertion):
 * F1 >= 0.9 on corruption windows, median onset delay <= 2 eval steps, no false alarm on traces
 * without a labelled window (clean runs, spikes, drifts, one-sided bumps).
 */
class DetectionEvaluationTest {

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
        // real one-shot fine-tuning runs, labelled clean by looking at their sample grids (docs/reproduction.md)
        DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of("src/test/resources/traces/real"),
                DetectorParams.V1);
        assertThat(report.traces()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(report.falseAlarms()).as("false alarms on real clean traces").isZero();
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
