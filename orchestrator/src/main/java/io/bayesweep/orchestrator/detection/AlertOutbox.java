package io.bayesweep.orchestrator.detection;

import io.bayesweep.orchestrator.store.AlertRecord;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.sweeps.InFlight;
import io.bayesweep.orchestrator.sweeps.MessageSink;
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
 * Publishes corruption alerts from the store to bayesweep.alerts (key = trialId), like the trial-request outbox: an
 * alert is stored first with {@code published_at} null (by {@link CorruptionMonitor}, in the transaction that
 * stored the point), sent after the commit, and marked when Kafka acknowledged it. What was not acknowledged is sent
 * again by {@link #republishUnpublished()}; the message is rebuilt from the row, so a resend is identical.
 */
public final class AlertOutbox {

    private static final Logger LOG = Logger.getLogger(AlertOutbox.class);
    private static final int BATCH = 500;

    private final TrackerStore store;
    private final MessageSink alerts;
    private final Duration grace;
    private final Clock clock;
    private final Executor callbacks;
    private final InFlight inFlight;
    private final Runnable acknowledged;

    /**
     * @param grace how old an unacknowledged alert must be before the relay sends it again, so that the relay does
     *              not race the first send (here or on another replica)
     */
    public AlertOutbox(TrackerStore store, MessageSink alerts, Duration grace, Duration inFlightExpiry, Clock clock,
                       Executor callbacks) {
        this(store, alerts, grace, inFlightExpiry, clock, callbacks, () -> {
        });
    }

    /** @param acknowledged told once per acknowledgement by Kafka (the alerts-published counter) */
    public AlertOutbox(TrackerStore store, MessageSink alerts, Duration grace, Duration inFlightExpiry, Clock clock,
                       Executor callbacks, Runnable acknowledged) {
        this.store = store;
        this.alerts = alerts;
        this.grace = grace;
        this.clock = clock;
        this.callbacks = callbacks;
        this.inFlight = new InFlight(inFlightExpiry, clock);
        this.acknowledged = acknowledged;
    }

    /** Sends the alert; completes when it is acknowledged and marked, or failed (the relay retries). */
    public CompletionStage<Boolean> publish(AlertRecord alert) {
        if (!inFlight.begin(alert.key())) {
            return CompletableFuture.completedFuture(false);
        }
        CompletionStage<Void> sent;
        try {
            sent = alerts.send(alert.trialId(), alert.message());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // Acknowledgements arrive on the producer's I/O thread, which must not wait for the store.
        return sent.handleAsync((ok, failure) -> {
            try {
                if (failure != null) {
                    LOG.warnf("alert %s not acknowledged, will retry: %s", alert.key(), failure.toString());
                    return false;
                }
                // Counted before it is marked: Kafka has it, whether or not the store learns so.
                acknowledged.run();
                OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
                store.inTransaction(c -> {
                    store.detections().markPublished(c, alert, now);
                    return null;
                });
                return true;
            } catch (RuntimeException e) {
                // Sent but not marked: the relay sends it once more (at least once).
                LOG.warnf("alert %s acknowledged but not marked: %s", alert.key(), e.toString());
                return false;
            } finally {
                inFlight.end(alert.key());
            }
        }, callbacks);
    }

    /** Sends again every alert Kafka has not acknowledged, oldest first; returns how many it sent. */
    public int republishUnpublished() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC)).minus(grace);
        List<AlertRecord> due = store.read(c -> store.detections().findUnpublished(c, cutoff, BATCH));
        for (AlertRecord alert : due) {
            publish(alert);
        }
        if (!due.isEmpty()) {
            LOG.infof("republished %d unacknowledged corruption alerts", due.size());
        }
        return due.size();
    }
}
