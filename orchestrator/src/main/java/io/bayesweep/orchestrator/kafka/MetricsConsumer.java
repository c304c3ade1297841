package io.bayesweep.orchestrator.kafka;

import io.bayesweep.messages.Json;
import io.bayesweep.messages.MalformedMessageException;
import io.bayesweep.messages.StepMetrics;
import io.bayesweep.orchestrator.config.OrchestratorConfig;
import io.bayesweep.orchestrator.detection.AlertOutbox;
import io.bayesweep.orchestrator.metrics.PipelineCounters;
import io.bayesweep.orchestrator.metrics.PipelineCounters.RejectReason;
import io.bayesweep.orchestrator.trials.TrialTracker;
import io.bayesweep.orchestrator.trials.UnknownTrialException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Stores every StepMetrics from bayesweep.metrics. The record is acknowledged (and its offset committed) only
 * after the store has it: at least once, and a replay stores nothing twice. A record that cannot be stored goes
 * to bayesweep.metrics.dlq. A new point runs the trial's corruption-stage detector in the same transaction; the
 * alerts it queued are published on bayesweep.alerts after the commit (the outbox resends what Kafka missed). Both
 * outcomes are counted: bayesweep_metrics_ingested_total (new points) and bayesweep_metrics_rejected_total{reason}.
 */
@ApplicationScoped
public class MetricsConsumer {

    private final TrialTracker tracker;
    private final AlertOutbox alerts;
    private final OrchestratorConfig config;
    private final PipelineCounters counters;

    MetricsConsumer(TrialTracker tracker, AlertOutbox alerts, OrchestratorConfig config, PipelineCounters counters) {
        this.tracker = tracker;
        this.alerts = alerts;
        this.config = config;
        this.counters = counters;
    }

    @Incoming("metrics")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> record) {
        try {
            StepMetrics metrics = Json.fromBytes(record.getPayload(), StepMetrics.class);
            TrialTracker.MetricsIngest ingest = StoreRetry.run("metrics of " + metrics.trialId(),
                    config.ingest().storeRetry(), () -> tracker.ingest(metrics));
            if (ingest.inserted()) {
                counters.pointIngested();
            }
            ingest.alerts().forEach(alerts::publish);
            return record.ack();
        } catch (RuntimeException e) {
            counters.pointRejected(reason(e));
            return DeadLetters.reject(record, e);
        }
    }

    private static RejectReason reason(RuntimeException e) {
        if (e instanceof MalformedMessageException) {
            return RejectReason.MALFORMED;
        }
        return e instanceof UnknownTrialException ? RejectReason.UNKNOWN_TRIAL : RejectReason.ERROR;
    }
}
