package io.bayesweep.orchestrator.api;

/** The sweep's ranking metric and whether it is minimized or maximized. */
public record MetricGoalView(String name, String goal) {
}
