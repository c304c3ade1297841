package io.bayesweep.messages;

/** Kafka topic names: contracts with workers, dashboards and external consumers (see docs/topics.md). */
public final class Topics {
    /** One {@link TrialRequested} per trial, key = trialId. */
    public static final String TRIALS = "bayesweep.trials";
    /** One {@link StepMetrics} per eval step, key = trialId. */
    public static final String METRICS = "bayesweep.metrics";
    /** {@link TrialEvent}s: Started, Checkpointed, Completed, Failed, Cancelled; key = trialId. */
    public static final String TRIAL_EVENTS = "bayesweep.trial-events";
    /** {@link ControlCommand}s from the orchestrator to every worker; key = trialId. */
    public static final String CONTROL = "bayesweep.control";
    /**
     * Corruption-stage alerts from the orchestrator's detector: {@link CorruptionStageEntered} and
     * {@link CorruptionStageExited} (field {@code type} tells them apart); key = trialId.
     */
    public static final String ALERTS = "bayesweep.alerts";
    /** Trial requests a worker could not read, with the reason in the headers. */
    public static final String TRIALS_DLQ = "bayesweep.trials.dlq";

    /** Header that carries why a record went to a dead-letter topic. */
    public static final String DLQ_REASON_HEADER = "bayesweep-dlq-reason";

    private Topics() {
    }
}
