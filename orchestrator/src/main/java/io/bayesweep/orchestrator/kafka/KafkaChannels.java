package io.bayesweep.orchestrator.kafka;

import io.bayesweep.messages.Json;
import io.bayesweep.orchestrator.sweeps.MessageSink;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The outgoing channels (see application.properties): trial requests and control commands, JSON keyed by trialId. */
@ApplicationScoped
public class KafkaChannels {

    private final Emitter<String> trialRequests;
    private final Emitter<String> controlCommands;

    KafkaChannels(@Channel("trial-requests") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
                  Emitter<String> trialRequests,
                  @Channel("control-commands") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1_000)
                  Emitter<String> controlCommands) {
        this.trialRequests = trialRequests;
        this.controlCommands = controlCommands;
    }

    public MessageSink trialRequests() {
        return (key, message) -> send(trialRequests, key, message);
    }

    public MessageSink controlCommands() {
        return (key, message) -> send(controlCommands, key, message);
    }

    private static CompletionStage<Void> send(Emitter<String> emitter, String key, Object message) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        Message<String> record = Message.of(Json.toString(message))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
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
