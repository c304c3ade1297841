package io.bayesweep.orchestrator.sweeps;

import io.bayesweep.messages.ControlCommand;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.store.TrialRecord;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Tells workers to stop trials (ControlCommand STOP on the compacted control topic, key trialId). A STOP for a
 * running trial is marked in the store when acknowledged and sent again until it is.
 */
public final class StopCommands {

    private static final Logger LOG = Logger.getLogger(StopCommands.class);
    private static final int BATCH = 500;

    private final TrackerStore store;
    private final MessageSink control;
    private final Clock clock;
    private final Executor callbacks;
    private final InFlight inFlight;

    public StopCommands(TrackerStore store, MessageSink control, Duration inFlightExpiry, Clock clock,
                        Executor callbacks) {
        this.store = store;
        this.control = control;
        this.clock = clock;
        this.callbacks = callbacks;
        this.inFlight = new InFlight(inFlightExpiry, clock);
    }

    /** Sends STOP; a running trial's acknowledgement is recorded so that the relay stops retrying it. */
    public CompletionStage<Boolean> stop(String sweepId, String trialId, boolean recordAck) {
        if (!inFlight.begin(trialId)) {
            return CompletableFuture.completedFuture(false);
        }
        CompletionStage<Void> sent;
        try {
            sent = control.send(trialId, ControlCommand.stop(sweepId, trialId));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // Acknowledgements arrive on the producer's I/O thread, which must not wait for the store.
        return sent.handleAsync((ok, failure) -> {
            try {
                if (failure != null) {
                    LOG.warnf("STOP for %s not acknowledged: %s", trialId, failure.toString());
                    return false;
                }
                if (recordAck) {
                    OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
                    store.inTransaction(c -> {
                        store.trials().markStopPublished(c, trialId, now);
                        return null;
                    });
                }
                return true;
            } catch (RuntimeException e) {
                LOG.warnf("STOP for %s acknowledged but not marked: %s", trialId, e.toString());
                return false;
            } finally {
                inFlight.end(trialId);
            }
        }, callbacks);
    }

    /** Sends STOP again to every cancelled-but-running trial whose STOP Kafka has not acknowledged. */
    public int republishUnacknowledged() {
        List<TrialRecord> due = store.read(c -> store.trials().findUnpublishedStops(c, BATCH));
        for (TrialRecord trial : due) {
            stop(trial.sweepId(), trial.id(), true);
        }
        return due.size();
    }
}
