package io.bayesweep.detect;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detector's targets on the labelled synthetic set (deterministic, so a plain assertion), for every released
 * version: F1 >= 0.9 on corruption windows, median onset delay <= 2 eval steps, no false alarm on traces without a
 * labelled window (clean runs, spikes, drifts, one-sided bumps). On the real traces of the reproduction runs: no
 * false alarm after the early-speckle phase, and the recall as measured, split by the 5-point warm-up (v1 opens no
 * window there, v2 can); v3 meets the targets on the real set it was designed on, and its result on the held-out
 * traces recorded after it is asserted as measured.
 */
class DetectionEvaluationTest {
    private static final String REAL_DIR = "src/test/resources/traces/real";
    private static final String HELD_OUT_DIR = "src/test/resources/traces/heldout";

    static List<DetectorParams> released() {
        return List.of(DetectorParams.V1, DetectorParams.V2, DetectorParams.V3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("released")
    void everyVersionMeetsTheTargetsOnTheSyntheticSet(DetectorParams params) throws IOException {
        DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(SyntheticTraces.DIR), params);
        report.lines().forEach(System.out::println);

        assertThat(report.traces()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(report.f1()).as("F1").isGreaterThanOrEqualTo(0.9);
        assertThat(report.medianOnsetDelay()).as("median onset delay").isLessThanOrEqualTo(2);
        assertThat(report.falseAlarms()).as("false alarms on traces without a labelled window").isZero();
        assertThat(report.falseAlarmsOn("clean")).isZero();
        assertThat(report.falseAlarmsOn("spike")).isZero();
    }

    /** Real traces fine-tuned at lr >= 1e-3 show an early-speckle phase in their first ~30 steps (labels.json). */
    private static final long EARLY_SPECKLE_STEPS = 30;

    @ParameterizedTest(name = "{0}")
    @MethodSource("released")
    void noAlarmOnTheRealTracesOfTheReproductionRunsAfterTheEarlySpecklePhase(DetectorParams params) throws IOException {
        // Real one-shot fine-tuning runs, labelled by looking at their sample grids (docs/reproduction.md, labels.json):
        // 7 clean wink runs (2026-11-28), 1 short wink dip, 14 runs of 2026-12-06 that collapse because of the libtorch
        // bug, and 18 runs after the fix (11 clean, 7 with a speckled dip at lr 3e-3). Outside the early-speckle phase
        // no detected window may fall outside a labelled one. Inside it, with evals every 2 steps, both versions open a
        // window on the speckle of fixed-e2-joy-base-lr1e-3-s2 and fixed-w100-wink-base-lr3e-3-s1 (v2 also on that of
        // fixed-e2-wink-base-lr3e-3-s3), which
        // the labels' convention leaves unlabelled because the subject has not appeared yet (docs/detection.md).
        DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(REAL_DIR), params);
        report.lines().forEach(System.out::println);

        assertThat(report.traces()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(report.labelledWindows()).isGreaterThanOrEqualTo(22);
        for (DetectionEvaluation.TraceResult t : report.traces()) {
            assertThat(t.spurious()).as("detected windows outside every labelled window in " + t.file())
                    .allSatisfy(w -> assertThat(w.onset()).isLessThanOrEqualTo(EARLY_SPECKLE_STEPS));
        }
        List<String> falseAlarms = report.traces().stream().filter(t -> !t.spurious().isEmpty() && t.labelled().isEmpty())
                .map(DetectionEvaluation.TraceResult::file).toList();
        if (params == DetectorParams.V3) {
            assertThat(falseAlarms).as("v3 waits for the subject to appear").isEmpty();
        } else {
            assertThat(falseAlarms).containsOnly("fixed-e2-joy-base-lr1e-3-s2.csv");
        }
        // Recall as measured, not a target: a floor against regressions. v1: 9 of 22 labelled windows; v2: 14; v3: 19.
        assertThat(report.matchedLabelled()).as("labelled real windows found")
                .isGreaterThanOrEqualTo(params == DetectorParams.V3 ? 19 : params.provisionalWarmup() ? 14 : 9);
    }

    @Test
    void v2OnTheRealTraces() throws IOException {
        // The targets (F1 >= 0.9, median onset delay <= 2) on the real set: v2 meets the delay and misses F1 (14 of 22
        // found, F1 0.735): the three windows of docs/detection.md, four speckled dips at lr 3e-3 recorded after the
        // libtorch fix, whose noise rise is small against a baseline raised by the early speckle, and one mild dip.
        DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(REAL_DIR), DetectorParams.V2);
        DetectionEvaluation.Report v1 = DetectionEvaluation.evaluate(Path.of(REAL_DIR), DetectorParams.V1);

        assertThat(report.medianOnsetDelay()).as("median onset delay").isLessThanOrEqualTo(2);
        assertThat(report.f1()).as("F1").isGreaterThanOrEqualTo(0.73).isGreaterThan(v1.f1());
        assertThat(report.traces()).flatExtracting(DetectionEvaluation.TraceResult::missed).hasSizeLessThanOrEqualTo(8);
    }

    @Test
    void v3MeetsTheTargetsOnTheRealTraces() throws IOException {
        // The set v3 was designed on (docs/detection.md): 19 of 22 found, every detected window overlaps a labelled
        // one, no early-speckle alarm. The three misses: a dip seen on one eval point only (eval every 10), and two
        // shallow dips whose fidelity is too jumpy for the drop threshold.
        DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(REAL_DIR), DetectorParams.V3);

        assertThat(report.f1()).as("F1").isGreaterThanOrEqualTo(0.9);
        assertThat(report.precision()).as("precision").isEqualTo(1.0);
        assertThat(report.medianOnsetDelay()).as("median onset delay").isLessThanOrEqualTo(2);
        assertThat(report.falseAlarms()).isZero();
        assertThat(report.traces()).flatExtracting(DetectionEvaluation.TraceResult::missed).hasSize(3);
    }

    @Test
    void onTheHeldOutTracesV3HasNoFalseAlarmButLowRecall() throws IOException {
        // Recorded and labelled after v3 was designed (plans G and H, docs/detection.md): 13 windows in 10 runs, 10
        // clean runs with early speckle. Measured, not a target: v3 finds 4 of the 13 windows, each within one eval of
        // its onset, with no false alarm; the misses are dips whose noise metric barely rises. v2 finds 2 and alarms
        // on 3 clean runs' early speckle.
        DetectionEvaluation.Report v3 = DetectionEvaluation.evaluate(Path.of(HELD_OUT_DIR), DetectorParams.V3);
        DetectionEvaluation.Report v2 = DetectionEvaluation.evaluate(Path.of(HELD_OUT_DIR), DetectorParams.V2);
        v3.lines().forEach(System.out::println);

        assertThat(v3.traces()).hasSize(20);
        assertThat(v3.labelledWindows()).isEqualTo(13);
        assertThat(v3.matchedLabelled()).isEqualTo(4);
        assertThat(v3.precision()).isEqualTo(1.0);
        assertThat(v3.falseAlarms()).isZero();
        assertThat(v3.maxOnsetDelay()).isLessThanOrEqualTo(1);
        assertThat(v2.falseAlarms()).isEqualTo(3);
        assertThat(v3.f1()).isGreaterThan(v2.f1());
    }

    /** Per labelled real window: whether its trace has at least warmupPoints eval points before the labelled onset. */
    record WarmUpSplit(int afterWarmUp, int foundAfterWarmUp, int atOnsetAfterWarmUp, int inWarmUp, int foundInWarmUp,
                       int atOnsetInWarmUp) {
        static WarmUpSplit of(DetectorParams params) throws IOException {
            DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(REAL_DIR), params);
            int afterWarmUp = 0, foundAfterWarmUp = 0, atOnsetAfterWarmUp = 0, inWarmUp = 0, foundInWarmUp = 0,
                    atOnsetInWarmUp = 0;
            for (DetectionEvaluation.TraceResult trace : report.traces()) {
                List<EvalPoint> points = TraceCsv.read(Path.of(REAL_DIR).resolve(trace.file()));
                for (TraceLabels.LabelledWindow window : trace.labelled()) {
                    long before = points.stream().filter(p -> p.step() < window.onset()).count();
                    int i = trace.firstOverlapping(window);
                    boolean atOnset = i >= 0
                            && trace.detected().get(i).onset() <= window.onset() + 2 * trace.evalEvery();
                    if (before >= params.warmupPoints()) {
                        afterWarmUp++;
                        foundAfterWarmUp += i >= 0 ? 1 : 0;
                        atOnsetAfterWarmUp += atOnset ? 1 : 0;
                    } else {
                        inWarmUp++;
                        foundInWarmUp += i >= 0 ? 1 : 0;
                        atOnsetInWarmUp += atOnset ? 1 : 0;
                    }
                }
            }
            WarmUpSplit split = new WarmUpSplit(afterWarmUp, foundAfterWarmUp, atOnsetAfterWarmUp, inWarmUp,
                    foundInWarmUp, atOnsetInWarmUp);
            System.out.println(params.version() + " on the real traces: " + split);
            return split;
        }
    }

    @Test
    void onTheRealTracesV1FindsTheWindowsThatOpenAfterItsWarmUp() throws IOException {
        // After the warm-up (the dense-eval runs, every 2 or 5 steps, and the wink dip): 5 of 6 found, 4 of them at
        // their labelled onset; the miss is the wink dip (fidelity too noisy for v1's threshold). Inside the warm-up
        // (eval every 10, collapse at the 2nd or 3rd eval): 9 windows, none found at its onset; 2 (penguin) are
        // credited by overlap with a window that opens 47-50 evals later, on a later noise flare (docs/detection.md).
        WarmUpSplit v1 = WarmUpSplit.of(DetectorParams.V1);

        assertThat(v1.afterWarmUp()).isGreaterThanOrEqualTo(6);
        assertThat(v1.foundAfterWarmUp()).as("real windows after the warm-up that v1 finds").isGreaterThanOrEqualTo(5);
        assertThat(v1.atOnsetAfterWarmUp()).as("... within 2 eval steps of the labelled onset").isGreaterThanOrEqualTo(4);
        assertThat(v1.inWarmUp()).isGreaterThanOrEqualTo(9);
        assertThat(v1.atOnsetInWarmUp()).as("real windows inside the warm-up that v1 finds at their onset").isZero();
    }

    @Test
    void onTheRealTracesV2FindsMostWindowsInsideTheWarmUpAtTheirOnset() throws IOException {
        // v2 judges the warm-up points against provisional references: of the 9 windows that start at the 2nd or 3rd
        // eval, 6 found within 2 eval steps of their onset (4 at it), penguin lr 2e-3 still only by overlap (fidelity
        // rises through its collapse), joy lr 3e-3 and penguin lr 1e-3 missed (docs/detection.md). After the warm-up
        // it is v1.
        WarmUpSplit v1 = WarmUpSplit.of(DetectorParams.V1);
        WarmUpSplit v2 = WarmUpSplit.of(DetectorParams.V2);

        assertThat(v2.inWarmUp()).isEqualTo(v1.inWarmUp()).isGreaterThanOrEqualTo(9);
        assertThat(v2.atOnsetInWarmUp()).as("real windows inside the warm-up found at their onset by v2")
                .isGreaterThanOrEqualTo(6);
        assertThat(v2.foundInWarmUp()).isGreaterThanOrEqualTo(7);
        assertThat(v2.foundAfterWarmUp()).isEqualTo(v1.foundAfterWarmUp());
        assertThat(v2.atOnsetAfterWarmUp()).isEqualTo(v1.atOnsetAfterWarmUp());
    }

    @Test
    void docsShowTheCurrentResult() throws IOException {
        Path doc = Path.of("../docs/detection.md");
        Assumptions.assumeTrue(Files.isRegularFile(doc), "run from the core module of a checkout");
        String text = Files.readString(doc);
        for (DetectorParams params : released()) {
            DetectionEvaluation.Report report = DetectionEvaluation.evaluate(Path.of(SyntheticTraces.DIR), params);
            for (String line : report.lines()) {
                assertThat(text).as("docs/detection.md shows the %s evaluation output", params.version()).contains(
                        line.replace(SyntheticTraces.DIR, "core/" + SyntheticTraces.DIR));
            }
            for (String dir : List.of(REAL_DIR, HELD_OUT_DIR)) {
                if (dir.equals(HELD_OUT_DIR) && params == DetectorParams.V1) {
                    continue;
                }
                DetectionEvaluation.Report real = DetectionEvaluation.evaluate(Path.of(dir), params);
                for (String line : real.lines()) {
                    assertThat(text).as("docs/detection.md shows the %s evaluation output on %s", params.version(), dir)
                            .contains(line.replace(dir, "core/" + dir));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("released")
    void theSetCatchesADetectorWithoutConfirmation(DetectorParams p) throws IOException {
        // The same thresholds with a 1-point confirmation: the spike traces must then alarm, or the set tests nothing.
        DetectorParams unconfirmed = CorruptionDetectorTest.with(p, p.version() + "-unconfirmed", 1,
                p.provisionalNoiseRise());

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
