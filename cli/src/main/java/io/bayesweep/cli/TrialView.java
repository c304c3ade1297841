package io.bayesweep.cli;

import java.util.Map;

/** A trial as the orchestrator's REST API shows it; {@code metrics} holds the latest value of each metric. */
record TrialView(String id, String sweepId, Integer index, Map<String, Object> params, String state,
                 Integer attempt, Long step, Long totalSteps, String worker, String reason,
                 Map<String, Double> metrics, String createdAt, String startedAt, String finishedAt) {

    Map<String, Object> paramsOrEmpty() {
        return params == null ? Map.of() : params;
    }

    Map<String, Double> metricsOrEmpty() {
        return metrics == null ? Map.of() : metrics;
    }
}
