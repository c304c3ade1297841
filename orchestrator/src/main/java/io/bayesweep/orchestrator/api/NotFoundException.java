package io.bayesweep.orchestrator.api;

/** An unknown sweep or trial id; answered with 404. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
