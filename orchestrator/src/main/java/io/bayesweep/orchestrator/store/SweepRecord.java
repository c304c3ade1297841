package io.bayesweep.orchestrator.store;

import io.bayesweep.orchestrator.trials.SweepState;

import java.time.OffsetDateTime;

/** A row of {@code sweeps}. */
public record SweepRecord(String id, String name, String description, String method, SweepState state,
                          boolean cancelRequested, String specText, long seed, String metricName,
                          String metricGoal, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                          OffsetDateTime finishedAt) {
}
