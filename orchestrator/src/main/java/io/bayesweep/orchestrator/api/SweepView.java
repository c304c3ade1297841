package io.bayesweep.orchestrator.api;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A sweep as the API shows it.
 *
 * @param trialsByState every trial state with its count, zeros included
 */
public record SweepView(String id, String name, String description, String method, String state,
                        boolean cancelRequested, long seed, MetricGoalView metric, int trialCount,
                        Map<String, Integer> trialsByState, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                        OffsetDateTime finishedAt) {
}
