package io.bayesweep.cli;

import java.util.Map;
import java.util.Set;

/** A sweep as the orchestrator's REST API shows it; unknown fields are ignored by {@code Json.MAPPER}. */
record SweepView(String id, String name, String description, String method, String state,
                 String createdAt, String finishedAt, Metric metric, Map<String, Integer> trialsByState) {

    /** The sweep's metric and goal, as in the sweep file. */
    record Metric(String name, String goal) {
    }

    String metricName() {
        return metric == null ? null : metric.name();
    }

    String metricGoal() {
        return metric == null ? null : metric.goal();
    }

    Map<String, Integer> trialCounts() {
        return trialsByState;
    }

    /** Trial states after which a trial will not run again (LOST is retried, so it is not one). */
    static final Set<String> FINISHED_TRIAL_STATES = Set.of("COMPLETED", "FAILED", "CANCELLED", "STOPPED_EARLY");

    boolean finished() {
        return "COMPLETED".equals(state) || "CANCELLED".equals(state);
    }

    int totalTrials() {
        Map<String, Integer> trialCounts = trialsByState;
        return trialCounts == null ? 0 : trialCounts.values().stream().mapToInt(n -> n == null ? 0 : n).sum();
    }

    int doneTrials() {
        Map<String, Integer> trialCounts = trialsByState;
        if (trialCounts == null) {
            return 0;
        }
        return trialCounts.entrySet().stream()
                .filter(e -> FINISHED_TRIAL_STATES.contains(e.getKey()) && e.getValue() != null)
                .mapToInt(Map.Entry::getValue).sum();
    }
}
