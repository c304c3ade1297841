package io.bayesweep.cli;

import java.util.Map;

/** One stored eval step of a trial, as {@code GET /api/trials/{id}/metrics} shows it. */
record MetricStepView(long step, Integer attempt, String worker, Map<String, Double> metrics) {
}
