package io.bayesweep.orchestrator.trials;

/** A report about a trial this store does not know: poison for the consumer, so it goes to the dead-letter topic. */
public class UnknownTrialException extends RuntimeException {
    public UnknownTrialException(String trialId) {
        super("unknown trial " + trialId);
    }
}
