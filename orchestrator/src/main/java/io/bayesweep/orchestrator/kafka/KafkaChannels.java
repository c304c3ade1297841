package io.bayesweep.orchestrator.kafka;

import io.bayesweep.messages.Json;
import io.bayesweep.messages.TrialRequested;
import io.bayesweep.orchestrator.sweeps.MessageSink;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The outgoing channels (see application.properties): trial requests, control commands and corruption alerts, JSON
 * keyed by trialId.
 */
@ApplicationScoped
public class KafkaChannels {

    private final Emitter<String> trialRequests;
    private final Emitter<String> controlCommands;
    private final Emitter<String> corruptionAlerts;
    private final TopicSetup topics;

    KafkaChannels(@Channel("trial-requests") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
                  Emitter<String> trialRequests,
                  @Channel("control-commands") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1_000)
                  Emitter<String> controlCommands,
                  @Channel("corruption-alerts") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
                  Emitter<String> corruptionAlerts,
                  TopicSetup topics) {
        this.trialRequests = trialRequests;
        this.controlCommands = controlCommands;
        this.corruptionAlerts = corruptionAlerts;
        this.topics = topics;
    }

    public MessageSink trialRequests() {
        return (key, message) -> send(trialRequests, key, message, partitionFor(message));
    }

    /**
     * A sweep's trials go round-robin over the partitions (by trial index) rather than by key hash:
     * requests on one partition run one after another, so spreading them lets N idle workers run N
     * trials at once. A re-published request keeps its index, hence its partition and its order.
     * Falls back to the key's hash while the partition count is unknown.
     */
    int partitionFor(Object message) {
        int partitions = topics.trialPartitions();
        return message instanceof TrialRequested request && partitions > 0 ? request.index() % partitions : -1;
    }

    public MessageSink controlCommands() {
        return (key, message) -> send(controlCommands, key, message, -1);
    }

    /** bayesweep.alerts, partitioned by the key's hash: a trial's alerts stay in order. */
    public MessageSink corruptionAlerts() {
        return (key, message) -> send(corruptionAlerts, key, message, -1);
    }

    private static CompletionStage<Void> send(Emitter<String> emitter, String key, Object message, int partition) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key);
        if (partition >= 0) {
            metadata = metadata.withPartition(partition);
        }
        Message<String> record = Message.of(Json.toString(message))
                .addMetadata(metadata.build())
                .withAck(() -> {
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acknowledged.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(record); // throws when the buffer is full or the channel failed: the caller's outbox retries
        return acknowledged;
    }
}
