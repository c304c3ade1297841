package io.bayesweep.orchestrator.api;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A trial as the API shows it.
 *
 * @param metrics     the latest value of each metric the trial reported
 * @param detection   the corruption-stage detector's verdict after the trial's stored points; null before the first
 * @param latestSampleUrl where the newest sample grid (PNG) of the trial is served; null while it has none, or
 *                        when the artifacts directory cannot be read
 * @param requestedAt when Kafka acknowledged the trial's request; null while it is still to be published
 */
public record TrialView(String id, String sweepId, int index, Map<String, Object> params, String state, int attempt,
                        int lostAttempts, long step, long totalSteps, String worker, String reason,
                        boolean cancelRequested, Map<String, Double> metrics, DetectionView detection,
                        String latestSampleUrl,
                        OffsetDateTime createdAt, OffsetDateTime requestedAt, OffsetDateTime startedAt,
                        OffsetDateTime finishedAt, OffsetDateTime updatedAt) {
}
