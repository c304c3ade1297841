package io.bayesweep.orchestrator.artifacts;

/** The artifacts directory is missing or unreadable, so no sample grid can be served; answered with 404. */
public class ArtifactsUnavailableException extends RuntimeException {
    public ArtifactsUnavailableException(String message) {
        super(message);
    }
}
