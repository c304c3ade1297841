package io.bayesweep.orchestrator.store;

import io.bayesweep.orchestrator.trials.TrialProgress;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A row of {@code trials}.
 *
 * @param requestedAt when Kafka acknowledged the trial's request; null while the outbox still has to publish it
 */
public record TrialRecord(String id, String sweepId, int index, Map<String, Object> params, TrialProgress progress,
                          OffsetDateTime requestedAt, OffsetDateTime stopPublishedAt, OffsetDateTime createdAt,
                          OffsetDateTime startedAt, OffsetDateTime finishedAt, OffsetDateTime updatedAt) {
}
