package io.bayesweep.messages;

import java.time.Instant;
import java.util.Map;

/**
 * Asks the worker group to run one trial. Published once per trial by the orchestrator.
 *
 * @param params the trial's parameters, as expanded from the sweep (nested parameters as nested maps)
 * @param index  the trial's position in the sweep's expansion, from 0
 */
public record TrialRequested(int schema, String sweepId, String trialId, int index,
                             Map<String, Object> params, Instant requestedAt) {
    public static final int SCHEMA = 1;

    public static TrialRequested of(String sweepId, String trialId, int index, Map<String, Object> params) {
        return new TrialRequested(SCHEMA, sweepId, trialId, index, params, Instant.now());
    }
}
