package io.bayesweep.orchestrator.metrics;

import io.bayesweep.orchestrator.store.MetricRepository.LastStep;
import io.bayesweep.orchestrator.store.MetricRepository.StepValue;
import io.bayesweep.orchestrator.store.StoredDetection;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.store.TrialRecord;
import io.bayesweep.orchestrator.trials.TrialState;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Keeps the gauges in line with the store where the events alone cannot: rebuilds the running trials' gauges when
 * the orchestrator starts, and, periodically, reads the sweeps' trial counts, brings the tracked trials' states up to
 * date (cancelled by the API, or reported to another replica) and drops the series whose grace period ended.
 */
public final class MetricsRefresh {

    private static final Logger LOG = Logger.getLogger(MetricsRefresh.class);

    private final TrackerStore store;
    private final TrialGauges trials;
    private final SweepTrialCounts sweeps;
    private final Duration finishedGrace;
    private final Clock clock;

    public MetricsRefresh(TrackerStore store, TrialGauges trials, SweepTrialCounts sweeps, Duration finishedGrace,
                          Clock clock) {
        this.store = store;
        this.trials = trials;
        this.sweeps = sweeps;
        this.finishedGrace = finishedGrace;
        this.clock = clock;
    }

    /** Start-up: the gauges of every unfinished trial that runs or has reported, from the store; returns how many. */
    public int restore() {
        List<TrialSnapshot> snapshots = store.read(c -> {
            List<TrialRecord> unfinished = store.trials().findUnfinishedInProgress(c);
            List<String> ids = unfinished.stream().map(TrialRecord::id).toList();
            Map<String, Map<String, StepValue>> values = store.metrics().latestOfTrials(c, ids,
                    TrialGauges.VALUE_METRICS);
            Map<String, LastStep> lastSteps = store.metrics().lastSteps(c, ids);
            Map<String, StoredDetection> detections = store.detections().findAll(c, ids);
            return unfinished.stream().map(t -> snapshot(t, values.getOrDefault(t.id(), Map.of()),
                    lastSteps.get(t.id()), detections.get(t.id()))).toList();
        });
        snapshots.forEach(trials::restore);
        sweeps.update(store.read(c -> store.trials().countByStateOfSweepsActiveSince(c, cutoff())));
        return snapshots.size();
    }

    /** The periodic part: sweep counts, tracked trials' states, expired series. */
    public void refresh() {
        sweeps.update(store.read(c -> store.trials().countByStateOfSweepsActiveSince(c, cutoff())));
        var tracked = trials.trialIds();
        if (!tracked.isEmpty()) {
            store.read(c -> store.trials().findAll(c, tracked)).forEach(trials::reconcile);
        }
        int removed = trials.removeExpired();
        if (removed > 0) {
            LOG.debugf("removed the gauges of %d finished trials", removed);
        }
    }

    private OffsetDateTime cutoff() {
        return OffsetDateTime.now(clock.withZone(ZoneOffset.UTC)).minus(finishedGrace);
    }

    /** When the trial last progressed: its newest stored point if that came after its (re)start, else the start. */
    private static TrialSnapshot snapshot(TrialRecord t, Map<String, StepValue> values, LastStep last,
                                          StoredDetection detection) {
        Instant started = t.startedAt() == null ? null : t.startedAt().toInstant();
        Instant stored = last == null || last.recordedAt() == null ? null : last.recordedAt().toInstant();
        Instant progressAt = started == null ? stored : stored == null || stored.isBefore(started) ? started : stored;
        if (progressAt == null) {
            progressAt = t.updatedAt().toInstant();
        }
        TrialState state = t.progress().state();
        return new TrialSnapshot(t.sweepId(), t.id(), state, t.progress().step(), t.progress().totalSteps(),
                progressAt, t.finishedAt() == null ? null : t.finishedAt().toInstant(),
                last == null ? null : last.step(), values, detection == null ? null : detection.state());
    }
}
