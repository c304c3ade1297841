package io.bayesweep.orchestrator.api;

import io.bayesweep.orchestrator.store.SweepRecord;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.store.TrialRecord;
import io.bayesweep.orchestrator.trials.TrialState;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the store into API views. */
@ApplicationScoped
public class SweepViews {

    private final TrackerStore store;

    SweepViews(TrackerStore store) {
        this.store = store;
    }

    public List<SweepView> newestSweeps(int limit) {
        return store.read(c -> {
            List<SweepRecord> sweeps = store.sweeps().listNewestFirst(c, limit);
            var counts = store.trials().countByState(c, sweeps.stream().map(SweepRecord::id).toList());
            return sweeps.stream().map(s -> sweepView(s, counts.get(s.id()))).toList();
        });
    }

    public SweepView sweep(String id) {
        return store.read(c -> {
            SweepRecord sweep = store.sweeps().find(c, id).orElseThrow(() -> new NotFoundException("no sweep " + id));
            return sweepView(sweep, store.trials().countByState(c, List.of(id)).get(id));
        });
    }

    public List<TrialView> trialsOf(String sweepId) {
        return store.read(c -> {
            if (store.sweeps().find(c, sweepId).isEmpty()) {
                throw new NotFoundException("no sweep " + sweepId);
            }
            Map<String, Map<String, Double>> latest = store.metrics().latestOfSweep(c, sweepId);
            return store.trials().listBySweep(c, sweepId).stream()
                    .map(t -> trialView(t, latest.getOrDefault(t.id(), Map.of())))
                    .toList();
        });
    }

    public TrialView trial(String id) {
        return store.read(c -> {
            TrialRecord trial = store.trials().find(c, id).orElseThrow(() -> new NotFoundException("no trial " + id));
            return trialView(trial, store.metrics().latestOfTrial(c, id));
        });
    }

    public List<MetricStepView> metricsOf(String trialId) {
        return store.read(c -> {
            if (store.trials().find(c, trialId).isEmpty()) {
                throw new NotFoundException("no trial " + trialId);
            }
            return store.metrics().history(c, trialId).stream()
                    .map(s -> new MetricStepView(s.step(), s.attempt(), s.worker(), s.metrics()))
                    .toList();
        });
    }

    static SweepView sweepView(SweepRecord s, Map<TrialState, Integer> counts) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        int total = 0;
        for (TrialState state : TrialState.values()) {
            int n = counts == null ? 0 : counts.getOrDefault(state, 0);
            byState.put(state.name(), n);
            total += n;
        }
        MetricGoalView metric = s.metricName() == null ? null : new MetricGoalView(s.metricName(), s.metricGoal());
        return new SweepView(s.id(), s.name(), s.description(), s.method(), s.state().name(), s.cancelRequested(),
                s.seed(), metric, total, byState, s.createdAt(), s.updatedAt(), s.finishedAt());
    }

    static TrialView trialView(TrialRecord t, Map<String, Double> latestMetrics) {
        var p = t.progress();
        return new TrialView(t.id(), t.sweepId(), t.index(), t.params(), p.state().name(), p.attempt(),
                p.lostAttempts(), p.step(), p.totalSteps(), p.worker(), p.reason(), p.cancelRequested(),
                latestMetrics, t.createdAt(), t.requestedAt(), t.startedAt(), t.finishedAt(), t.updatedAt());
    }
}
