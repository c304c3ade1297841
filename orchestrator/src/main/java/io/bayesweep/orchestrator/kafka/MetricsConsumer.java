package io.bayesweep.orchestrator.kafka;

import io.bayesweep.messages.Json;
import io.bayesweep.messages.StepMetrics;
import io.bayesweep.orchestrator.config.OrchestratorConfig;
import io.bayesweep.orchestrator.trials.TrialTracker;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Stores every StepMetrics from bayesweep.metrics. The record is acknowledged (and its offset committed) only
 * after the store has it: at least once, and a replay stores nothing twice. A record that cannot be stored goes
 * to bayesweep.metrics.dlq.
 */
@ApplicationScoped
public class MetricsConsumer {

    private final TrialTracker tracker;
    private final OrchestratorConfig config;

    MetricsConsumer(TrialTracker tracker, OrchestratorConfig config) {
        this.tracker = tracker;
        this.config = config;
    }

    @Incoming("metrics")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> record) {
        try {
            StepMetrics metrics = Json.fromBytes(record.getPayload(), StepMetrics.class);
            StoreRetry.run("metrics of " + metrics.trialId(), config.ingest().storeRetry(),
                    () -> tracker.record(metrics));
            return record.ack();
        } catch (RuntimeException e) {
            return DeadLetters.reject(record, e);
        }
    }
}
