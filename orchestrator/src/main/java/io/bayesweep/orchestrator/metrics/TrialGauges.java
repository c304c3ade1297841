package io.bayesweep.orchestrator.metrics;

import io.bayesweep.detect.DetectorState;
import io.bayesweep.orchestrator.store.TrialRecord;
import io.bayesweep.orchestrator.trials.TrialObserver;
import io.bayesweep.orchestrator.trials.TrialProgress;
import io.bayesweep.orchestrator.trials.Transition;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The per-trial gauges of docs/observability.md ({@code bayesweep_trial_*}, {@code bayesweep_corruption_*}, labels
 * sweep and trial), fed by {@link io.bayesweep.orchestrator.trials.TrialTracker} after each commit. A trial gets
 * series when it first reports something; a terminal trial keeps them for {@code finishedGrace} (so that a last
 * scrape sees how it ended) and then loses them, so that the number of series follows the running trials, not the
 * history, which stays in the store.
 */
public final class TrialGauges implements TrialObserver {

    /** The point metrics exported as {@code bayesweep_trial_<name>}. */
    public static final List<String> VALUE_METRICS = List.of("fidelity", "noise", "diversity", "loss", "kl");

    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration finishedGrace;
    private final ConcurrentMap<String, TrialSeries> trials = new ConcurrentHashMap<>();

    public TrialGauges(MeterRegistry registry, Clock clock, Duration finishedGrace) {
        this.registry = registry;
        this.clock = clock;
        this.finishedGrace = finishedGrace;
    }

    @Override
    public void pointStored(String sweepId, String trialId, TrialProgress progress, long step,
                            Map<String, Double> values, DetectorState detection) {
        update(sweepId, trialId, true, series -> {
            Instant now = clock.instant();
            series.stateIfUnknown(progress.state(), now);
            series.progress(progress.step(), progress.totalSteps(), now);
            series.evalStep(step);
            for (String name : VALUE_METRICS) {
                Double value = values.get(name);
                if (value != null) {
                    series.value(name, step, value);
                }
            }
            if (detection != null) {
                series.detection(detection);
            }
        });
    }

    /** A replayed event of a trial without series changes nothing, and must not bring a finished trial back. */
    @Override
    public void eventApplied(String sweepId, String trialId, Transition transition) {
        update(sweepId, trialId, transition.changed(), series -> {
            Instant now = clock.instant();
            TrialProgress after = transition.after();
            series.state(after.state(), null, now);
            if (transition.started()) {
                series.restarted(now);
            }
            series.progress(after.step(), after.totalSteps(), now);
        });
    }

    /** Start-up: the trial as the store has it; the store is the truth for every value. */
    public void restore(TrialSnapshot s) {
        update(s.sweepId(), s.trialId(), true, series -> {
            series.progress(s.progressStep(), s.totalSteps(), s.progressAt());
            series.state(s.state(), s.finishedAt(), clock.instant());
            if (s.evalStep() != null) {
                series.evalStep(s.evalStep());
            }
            s.values().forEach((name, v) -> series.value(name, v.step(), v.value()));
            if (s.detection() != null) {
                series.detection(s.detection());
            }
        });
    }

    /**
     * Brings a trial that has series up to the store's state: a trial cancelled by the API, or whose events another
     * orchestrator replica consumed, still finishes here and loses its series after the grace period.
     */
    public void reconcile(TrialRecord stored) {
        TrialSeries series = trials.get(stored.id());
        if (series == null) {
            return;
        }
        synchronized (series) {
            if (series.removed) {
                return;
            }
            Instant now = clock.instant();
            TrialProgress p = stored.progress();
            series.state(p.state(), stored.finishedAt() == null ? null : stored.finishedAt().toInstant(), now);
            series.progress(p.step(), p.totalSteps(), now);
        }
    }

    /** The trials that have series now. */
    public Set<String> trialIds() {
        return Set.copyOf(trials.keySet());
    }

    /** Removes the series of the trials that finished more than the grace period ago; returns how many trials. */
    public int removeExpired() {
        Instant now = clock.instant();
        int removed = 0;
        for (TrialSeries series : trials.values()) {
            synchronized (series) {
                // Unregistered before it leaves the map: a new series of the trial must not find its old meters.
                if (!series.removed && series.isExpired(now, finishedGrace)) {
                    series.remove();
                    trials.remove(series.trialId, series);
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Applies a change to the trial's series under its lock; makes the series when {@code track} says the change is
     * worth one.
     */
    private void update(String sweepId, String trialId, boolean track, Consumer<TrialSeries> change) {
        while (true) {
            TrialSeries series = track
                    ? trials.computeIfAbsent(trialId, id -> new TrialSeries(registry, clock, sweepId, id))
                    : trials.get(trialId);
            if (series == null) {
                return;
            }
            synchronized (series) {
                if (!series.removed) {
                    change.accept(series);
                    return;
                }
            }
            // Removed meanwhile (its grace period ended): a late change starts a new series.
        }
    }
}
