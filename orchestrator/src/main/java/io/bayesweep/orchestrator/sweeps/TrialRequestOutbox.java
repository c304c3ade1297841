package io.bayesweep.orchestrator.sweeps;

import io.bayesweep.messages.TrialRequested;
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
 * Publishes trial requests from the store (the outbox): a trial is stored first with {@code requested_at} null,
 * and marked requested only when Kafka acknowledged it. Whatever was not acknowledged (Kafka down at submit, the
 * orchestrator restarted) is published again by {@link #republishUnrequested()}.
 */
public final class TrialRequestOutbox {

    private static final Logger LOG = Logger.getLogger(TrialRequestOutbox.class);
    private static final int BATCH = 500;

    private final TrackerStore store;
    private final MessageSink trials;
    private final Duration grace;
    private final Clock clock;
    private final Executor callbacks;
    private final InFlight inFlight;

    /**
     * @param grace how old an unacknowledged trial must be before the relay sends it again; it keeps the relay
     *              from racing a submit that is still publishing (here or on another replica)
     */
    public TrialRequestOutbox(TrackerStore store, MessageSink trials, Duration grace, Duration inFlightExpiry,
                              Clock clock, Executor callbacks) {
        this.store = store;
        this.trials = trials;
        this.grace = grace;
        this.clock = clock;
        this.callbacks = callbacks;
        this.inFlight = new InFlight(inFlightExpiry, clock);
    }

    /** Sends the trial's request; completes when it is acknowledged and marked, or failed (the relay retries). */
    public CompletionStage<Boolean> publish(TrialRecord trial) {
        if (!inFlight.begin(trial.id())) {
            return CompletableFuture.completedFuture(false);
        }
        TrialRequested request = TrialRequested.of(trial.sweepId(), trial.id(), trial.index(), trial.params());
        CompletionStage<Void> sent;
        try {
            sent = trials.send(trial.id(), request);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // Acknowledgements arrive on the producer's I/O thread, which must not wait for the store.
        return sent.handleAsync((ok, failure) -> {
            try {
                if (failure != null) {
                    LOG.warnf("trial request %s not acknowledged, will retry: %s", trial.id(), failure.toString());
                    return false;
                }
                OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
                store.inTransaction(c -> {
                    store.trials().markRequested(c, trial.id(), now);
                    return null;
                });
                return true;
            } catch (RuntimeException e) {
                // Sent but not marked: the relay sends it once more, which workers tolerate (at least once).
                LOG.warnf("trial request %s acknowledged but not marked: %s", trial.id(), e.toString());
                return false;
            } finally {
                inFlight.end(trial.id());
            }
        }, callbacks);
    }

    /** Sends again every pending trial Kafka has not acknowledged; returns how many it sent. */
    public int republishUnrequested() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC)).minus(grace);
        List<TrialRecord> due = store.read(c -> store.trials().findUnrequested(c, cutoff, BATCH));
        int sent = 0;
        for (TrialRecord trial : due) {
            publish(trial);
            sent++;
        }
        if (sent > 0) {
            LOG.infof("republished %d unacknowledged trial requests", sent);
        }
        return sent;
    }
}
