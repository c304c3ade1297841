package io.bayesweep.orchestrator.kafka;

import io.bayesweep.messages.Json;
import io.bayesweep.messages.StepMetrics;
import io.bayesweep.orchestrator.config.OrchestratorConfig;
import io.bayesweep.orchestrator.detection.AlertOutbox;
import io.bayesweep.orchestrator.trials.TrialTracker;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Stores every StepMetrics from bayesweep.metrics. The record is acknowledged (and its offset committed) only
 * after the store has it: at least once, and a replay stores nothing twice. A record that cannot be stored goes
 * to bayesweep.metrics.dlq. A new point runs the trial's corruption-stage detector in the same transaction; the
 * alerts it queued are published on bayesweep.alerts after the commit (the outbox resends what Kafka missed).
 */
@ApplicationScoped
public class MetricsConsumer {

    private final TrialTracker tracker;
    private final AlertOutbox alerts;
    private final OrchestratorConfig config;

    MetricsConsumer(TrialTracker tracker, AlertOutbox alerts, OrchestratorConfig config) {
        this.tracker = tracker;
        this.alerts = alerts;
        this.config = config;
    }

    @Incoming("metrics")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> record) {
        try {
            StepMetrics metrics = Json.fromBytes(record.getPayload(), StepMetrics.class);
            TrialTracker.MetricsIngest ingest = StoreRetry.run("metrics of " + metrics.trialId(),
                    config.ingest().storeRetry(), () -> tracker.ingest(metrics));
            ingest.alerts().forEach(alerts::publish);
            return record.ack();
        } catch (RuntimeException e) {
            return DeadLetters.reject(record, e);
        }
    }
}
