package io.bayesweep.orchestrator.detection;

import io.bayesweep.detect.CorruptionDetector;
import io.bayesweep.detect.CorruptionWindow;
import io.bayesweep.detect.DetectorParams;
import io.bayesweep.detect.DetectorState;
import io.bayesweep.detect.EvalPoint;
import io.bayesweep.detect.Verdict;
import io.bayesweep.orchestrator.store.MetricStep;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The corruption-stage detector (docs/detection.md) run from scratch over one trial's stored eval points in step
 * order. Deterministic: the same points give the same result, whatever order they arrived in, which is what
 * makes the stored verdict, {@code GET /api/trials/{id}/detection} and {@code sweep detect TRIAL} agree.
 *
 * @param detector  the detector's parameter version
 * @param state     the state after the last point ({@code HEALTHY} before any)
 * @param windows   every window, oldest first; the last one open (end null) while {@code CORRUPTED}
 * @param points    how many eval points the detector read
 * @param lastStep  the step of the last point; null when there was none
 * @param enteredAt window onset to the verdict that confirmed the window (its {@code enteredWindow} point)
 * @param exitedAt  window onset to the verdict that confirmed its end, for closed windows
 */
public record DetectionReplay(String detector, DetectorState state, List<CorruptionWindow> windows, int points,
                              Long lastStep, Map<Long, Verdict> enteredAt, Map<Long, Verdict> exitedAt) {

    /** The metrics the detector reads, as {@link EvalPoint} names them. */
    public static final List<String> METRICS = List.of("fidelity", "noise", "diversity", "memorization", "sigma1",
            "loss");

    public DetectionReplay {
        windows = List.copyOf(windows);
        enteredAt = Map.copyOf(enteredAt);
        exitedAt = Map.copyOf(exitedAt);
    }

    /** Replays the detector over stored steps (any order; a repeated step counts once, the first). */
    public static DetectionReplay of(List<MetricStep> steps, DetectorParams params) {
        return replay(points(steps), params);
    }

    public static DetectionReplay replay(List<EvalPoint> points, DetectorParams params) {
        CorruptionDetector detector = new CorruptionDetector(params);
        Map<Long, Verdict> entered = new HashMap<>();
        Map<Long, Verdict> exited = new HashMap<>();
        Verdict last = null;
        for (EvalPoint point : points) {
            last = detector.observe(point);
            if (last.enteredWindow()) {
                entered.put(last.openWindow().onset(), last);
            }
            if (last.exitedWindow()) {
                exited.put(last.lastWindow().onset(), last);
            }
        }
        return new DetectionReplay(params.version(), detector.state(), detector.windows(), points.size(),
                last == null ? null : last.step(), entered, exited);
    }

    /**
     * Stored steps as detector points, by step: the metrics fidelity, noise, diversity, memorization, sigma1 and
     * loss, NaN where a step has no value (the detector counts it as missing). The same mapping as
     * {@code sweep detect TRIAL}.
     */
    public static List<EvalPoint> points(List<MetricStep> steps) {
        return EvalPoint.byStep(steps, MetricStep::step, MetricStep::metrics);
    }
}
