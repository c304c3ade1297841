package io.bayesweep.orchestrator.kafka;

import io.bayesweep.messages.Json;
import io.bayesweep.messages.MalformedMessageException;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.orchestrator.config.OrchestratorConfig;
import io.bayesweep.orchestrator.sweeps.StopCommands;
import io.bayesweep.orchestrator.trials.TrialTracker;
import io.bayesweep.orchestrator.trials.Transition;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Applies every TrialEvent from bayesweep.trial-events to the store, acknowledging after the commit (at least
 * once; the state machine makes replays harmless). A record that cannot be applied goes to
 * bayesweep.trial-events.dlq.
 */
@ApplicationScoped
public class TrialEventsConsumer {

    private final TrialTracker tracker;
    private final StopCommands stops;
    private final OrchestratorConfig config;

    TrialEventsConsumer(TrialTracker tracker, StopCommands stops, OrchestratorConfig config) {
        this.tracker = tracker;
        this.stops = stops;
        this.config = config;
    }

    @Incoming("trial-events")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> record) {
        try {
            TrialEvent event = Json.fromBytes(record.getPayload(), TrialEvent.class);
            if (event.type() == null) {
                throw new MalformedMessageException("TrialEvent: no type");
            }
            Transition transition = StoreRetry.run(event.type() + " of " + event.trialId(),
                    config.ingest().storeRetry(), () -> tracker.record(event));
            if (transition.resendStop()) {
                stops.stop(event.sweepId(), event.trialId(), !transition.after().state().isTerminal());
            }
            return record.ack();
        } catch (RuntimeException e) {
            return DeadLetters.reject(record, e);
        }
    }
}
