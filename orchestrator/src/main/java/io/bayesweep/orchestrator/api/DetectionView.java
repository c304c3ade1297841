package io.bayesweep.orchestrator.api;

import io.bayesweep.detect.CorruptionWindow;
import io.bayesweep.orchestrator.detection.DetectionReplay;
import io.bayesweep.orchestrator.store.StoredDetection;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The corruption-stage detector's verdict on a trial, in the shape {@code sweep detect} prints:
 * {@code {"detector":"v3","state":"RECOVERING","windows":[{"onset":210,"end":270,"depth":0.264,"duration":60}],
 * "points":80,"lastStep":800}}.
 *
 * @param detector the detector's parameter version
 * @param state    HEALTHY, IMPROVING, CORRUPTED, RECOVERING or OVERFIT (docs/detection.md)
 * @param windows  every corruption window, oldest first; the last one open (end null) while CORRUPTED
 * @param points   how many stored eval points the detector read
 * @param lastStep the last of them; null when there was none
 */
public record DetectionView(String detector, String state, List<WindowView> windows, int points, Long lastStep) {

    /**
     * One corruption window.
     *
     * @param end      the first step back to normal; null while the window is open
     * @param depth    running fidelity peak before the window minus the lowest fidelity inside it, to 4 decimals
     * @param duration {@code end - onset} in training steps; for an open window, the last step minus onset
     */
    public record WindowView(long onset, Long end, double depth, long duration) {
        static WindowView of(CorruptionWindow w) {
            // 4 decimals, rounded as sweep detect rounds them, so that the two print the same numbers.
            double depth = BigDecimal.valueOf(w.depth()).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
            return new WindowView(w.onset(), w.end(), depth, w.duration());
        }
    }

    static DetectionView of(DetectionReplay r) {
        return new DetectionView(r.detector(), r.state().name(), windows(r.windows()), r.points(), r.lastStep());
    }

    static DetectionView of(StoredDetection d) {
        return d == null ? null
                : new DetectionView(d.detector(), d.state().name(), windows(d.windows()), d.points(), d.lastStep());
    }

    private static List<WindowView> windows(List<CorruptionWindow> windows) {
        return windows.stream().map(WindowView::of).toList();
    }
}
