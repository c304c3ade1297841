package io.bayesweep.orchestrator.trials;

import io.bayesweep.detect.DetectorState;
import io.bayesweep.messages.StepMetrics;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.orchestrator.detection.CorruptionMonitor;
import io.bayesweep.orchestrator.store.AlertRecord;
import io.bayesweep.orchestrator.store.StoreException;
import io.bayesweep.orchestrator.store.SweepRecord;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.store.TrialRecord;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies what workers report (lifecycle events, step metrics) to the tracker store, one transaction each; a new
 * metric point also updates the trial's corruption-stage verdict and queues its alerts. Its {@link TrialObserver}
 * (the Prometheus gauges) hears of each change once it has committed.
 */
public final class TrialTracker {

    private static final Logger LOG = Logger.getLogger(TrialTracker.class);

    /**
     * What storing one StepMetrics did.
     *
     * @param inserted false when this (trial, step) was stored before: a replay
     * @param alerts   corruption alerts the new point called for, queued in the store's outbox: publish them
     *                 (AlertOutbox) now that the transaction has committed
     */
    public record MetricsIngest(boolean inserted, List<AlertRecord> alerts) {
        public MetricsIngest {
            alerts = List.copyOf(alerts);
        }
    }

    /** What one metrics transaction did, for the observer once it has committed. */
    private record Ingested(MetricsIngest result, String sweepId, TrialProgress progress, DetectorState detection) {
    }

    /** What one event transaction did, for the observer once it has committed. */
    private record Recorded(Transition transition, String sweepId) {
    }

    private final TrackerStore store;
    private final CorruptionMonitor detector;
    private final TrialObserver observer;

    /** With the default corruption-stage detector ({@code DetectorParams.defaults()}, v3). */
    public TrialTracker(TrackerStore store) {
        this(store, new CorruptionMonitor());
    }

    public TrialTracker(TrackerStore store, CorruptionMonitor detector) {
        this(store, detector, TrialObserver.NONE);
    }

    public TrialTracker(TrackerStore store, CorruptionMonitor detector, TrialObserver observer) {
        this.store = store;
        this.detector = detector;
        this.observer = observer;
    }

    /**
     * Applies one lifecycle event and, when it finishes the sweep's last trial, finishes the sweep.
     *
     * @throws UnknownTrialException when the store has no such trial
     */
    public Transition record(TrialEvent event) {
        requireTrialId(event.trialId());
        Recorded recorded = store.inTransaction(c -> {
            // Lock order sweep, then trial (as in cancel): the "all trials finished?" check must see the
            // other transactions of the same sweep.
            String sweepId = store.trials().sweepIdOf(c, event.trialId())
                    .orElseThrow(() -> new UnknownTrialException(event.trialId()));
            SweepRecord sweep = store.sweeps().lock(c, sweepId).orElseThrow();
            TrialRecord trial = store.trials().lock(c, event.trialId()).orElseThrow();
            Transition transition = TrialStateMachine.onEvent(trial.progress(), event);
            if (transition.changed()) {
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                store.trials().updateProgress(c, trial.id(), transition.after(),
                        transition.started() ? now : null, transition.finished() ? now : null);
            }
            if (transition.finished()) {
                finishSweepIfDone(c, sweep);
            }
            return new Recorded(transition, sweepId);
        });
        tell(() -> observer.eventApplied(recorded.sweepId(), event.trialId(), recorded.transition()));
        return recorded.transition();
    }

    /**
     * Stores one eval step's metrics once and advances the trial's step.
     *
     * @return false when this (trial, step) was stored before: a replay
     * @throws UnknownTrialException when the store has no such trial
     */
    public boolean record(StepMetrics metrics) {
        return ingest(metrics).inserted();
    }

    /**
     * Stores one eval step's metrics once, advances the trial's step and, for a newly stored step, runs the
     * trial's corruption-stage detector over its stored points (one transaction for all of it).
     *
     * @throws UnknownTrialException when the store has no such trial
     */
    public MetricsIngest ingest(StepMetrics metrics) {
        requireTrialId(metrics.trialId());
        Map<String, Double> values = new LinkedHashMap<>();
        if (metrics.metrics() != null) {
            metrics.metrics().forEach((name, value) -> {
                if (name != null && value != null) {
                    values.put(name, value);
                }
            });
        }
        Ingested ingested = store.inTransaction(c -> {
            // The trial row first: the step row's foreign key would otherwise share-lock it, and a later
            // upgrade to an update lock could deadlock with a concurrent lifecycle event.
            TrialRecord trial = store.trials().lock(c, metrics.trialId())
                    .orElseThrow(() -> new UnknownTrialException(metrics.trialId()));
            boolean inserted = store.metrics().insertStep(c, trial.id(), metrics.step(), metrics.attempt(),
                    metrics.worker(), values);
            TrialProgress next = TrialStateMachine.onMetrics(trial.progress(), metrics);
            if (!next.equals(trial.progress())) {
                store.trials().updateProgress(c, trial.id(), next, null, null);
            }
            // A replayed step changes no point, hence no verdict. The trial lock serializes the replays of a trial.
            CorruptionMonitor.Update verdict = inserted ? detect(c, trial) : null;
            List<AlertRecord> alerts = verdict == null ? List.of() : verdict.alerts();
            return new Ingested(new MetricsIngest(inserted, alerts), trial.sweepId(), next,
                    verdict == null ? null : verdict.state());
        });
        if (ingested.result().inserted()) {
            tell(() -> observer.pointStored(ingested.sweepId(), metrics.trialId(), ingested.progress(),
                    metrics.step(), values, ingested.detection()));
        }
        return ingested.result();
    }

    /** The change is committed whatever an observer does: its failure is logged, not passed on to the consumer. */
    private static void tell(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "trial observer failed");
        }
    }

    /**
     * Runs the detector behind a savepoint: a detector failure that is not the store's (a bug, bad data) must not
     * cost the metric point. The point is kept, the failure logged, and the next stored point of the trial
     * replays every point again, so its verdict and alerts catch up.
     *
     * @return the verdict and the alerts it queued; null when the detector failed
     */
    private CorruptionMonitor.Update detect(Connection c, TrialRecord trial) throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            CorruptionMonitor.Update update = detector.update(c, store, trial);
            c.releaseSavepoint(before);
            return update;
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException sql && new StoreException("detector", sql).isTransient()) {
                throw sql; // the store is down or busy: the whole transaction is retried
            }
            try {
                c.rollback(before);
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
                throw rollback;
            }
            LOG.errorf(e, "corruption detector failed on trial %s; the point is stored without a verdict", trial.id());
            return null;
        }
    }

    /** Finishes a running sweep whose trials are all terminal; call with the sweep locked. */
    public void finishSweepIfDone(Connection c, SweepRecord sweep) throws SQLException {
        if (sweep.state().isFinished() || store.trials().countUnfinished(c, sweep.id()) > 0) {
            return;
        }
        store.sweeps().finish(c, sweep.id(), sweep.cancelRequested() ? SweepState.CANCELLED : SweepState.COMPLETED);
    }

    private static void requireTrialId(String trialId) {
        if (trialId == null || trialId.isBlank()) {
            throw new io.bayesweep.messages.MalformedMessageException("no trialId");
        }
    }
}
