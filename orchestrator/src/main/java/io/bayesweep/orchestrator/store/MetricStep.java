package io.bayesweep.orchestrator.store;

import java.util.Map;

/** The stored metrics of one eval step of a trial. */
public record MetricStep(long step, int attempt, String worker, Map<String, Double> metrics) {
}
