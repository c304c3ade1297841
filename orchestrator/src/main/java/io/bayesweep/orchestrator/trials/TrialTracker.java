package io.bayesweep.orchestrator.trials;

import io.bayesweep.messages.StepMetrics;
import io.bayesweep.messages.TrialEvent;
import io.bayesweep.orchestrator.store.SweepRecord;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.store.TrialRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Applies what workers report (lifecycle events, step metrics) to the tracker store, one transaction each. */
public final class TrialTracker {

    private final TrackerStore store;

    public TrialTracker(TrackerStore store) {
        this.store = store;
    }

    /**
     * Applies one lifecycle event and, when it finishes the sweep's last trial, finishes the sweep.
     *
     * @throws UnknownTrialException when the store has no such trial
     */
    public Transition record(TrialEvent event) {
        requireTrialId(event.trialId());
        return store.inTransaction(c -> {
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
            return transition;
        });
    }

    /**
     * Stores one eval step's metrics once and advances the trial's step.
     *
     * @return false when this (trial, step) was stored before: a replay
     * @throws UnknownTrialException when the store has no such trial
     */
    public boolean record(StepMetrics metrics) {
        requireTrialId(metrics.trialId());
        Map<String, Double> values = new LinkedHashMap<>();
        if (metrics.metrics() != null) {
            metrics.metrics().forEach((name, value) -> {
                if (name != null && value != null) {
                    values.put(name, value);
                }
            });
        }
        return store.inTransaction(c -> {
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
            return inserted;
        });
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
