package io.bayesweep.orchestrator.api;

/** One thing wrong with a request; {@code path} locates it in the sweep file or the JSON body, or is null. */
public record ApiProblem(String path, String message) {
}
