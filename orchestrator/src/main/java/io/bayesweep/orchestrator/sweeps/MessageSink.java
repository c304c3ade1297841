package io.bayesweep.orchestrator.sweeps;

import java.util.concurrent.CompletionStage;

/** Publishes one message to one topic. */
@FunctionalInterface
public interface MessageSink {
    /** Completes when the broker acknowledged the record (acks=all), exceptionally when it will not be. */
    CompletionStage<Void> send(String key, Object message);
}
