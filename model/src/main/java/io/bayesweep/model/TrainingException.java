package io.bayesweep.model;

/**
 * A trial cannot run because of its configuration or data (unknown subject, corrupt checkpoint,
 * diverged loss): retrying it unchanged would fail again.
 */
public class TrainingException extends Exception {
    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
