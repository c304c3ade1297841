package io.bayesweep.cli;

import java.util.List;
import java.util.Map;

/**
 * A trial as the orchestrator's REST API shows it; {@code metrics} holds the latest value of each metric,
 * {@code detection} the corruption-stage detector's stored verdict (null before the trial's first eval point, or
 * from an orchestrator without a detector).
 */
record TrialView(String id, String sweepId, Integer index, Map<String, Object> params, String state,
                 Integer attempt, Long step, Long totalSteps, String worker, String reason,
                 Map<String, Double> metrics, String createdAt, String startedAt, String finishedAt,
                 Detection detection) {

    /** The detector's verdict: its version, the trial's state (HEALTHY ... OVERFIT) and its corruption windows. */
    record Detection(String detector, String state, List<Window> windows, Integer points, Long lastStep) {
        List<Window> windowsOrEmpty() {
            return windows == null ? List.of() : windows;
        }
    }

    /** A corruption window; {@code end} null while it is open. */
    record Window(Long onset, Long end, Double depth, Long duration) {
    }

    Map<String, Object> paramsOrEmpty() {
        return params == null ? Map.of() : params;
    }

    Map<String, Double> metricsOrEmpty() {
        return metrics == null ? Map.of() : metrics;
    }

    /** The detector's state, or null without a verdict. */
    String stage() {
        return detection == null ? null : detection.state();
    }

    /** How many corruption windows the detector found, or null without a verdict. */
    Integer windowCount() {
        return detection == null ? null : detection.windowsOrEmpty().size();
    }
}
