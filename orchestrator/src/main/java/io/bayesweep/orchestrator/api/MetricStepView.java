package io.bayesweep.orchestrator.api;

import java.util.Map;

/** The metrics of one eval step. */
public record MetricStepView(long step, int attempt, String worker, Map<String, Double> metrics) {
}
