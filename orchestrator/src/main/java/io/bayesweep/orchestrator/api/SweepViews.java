package io.bayesweep.orchestrator.api;

import io.bayesweep.orchestrator.detection.CorruptionMonitor;
import io.bayesweep.orchestrator.store.StoredDetection;
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
    private final CorruptionMonitor detector;
    private final TrialSamples samples;

    SweepViews(TrackerStore store, CorruptionMonitor detector, TrialSamples samples) {
        this.store = store;
        this.detector = detector;
        this.samples = samples;
    }

    /** What the store holds for one trial view; the sample URL is looked up afterwards, outside the transaction. */
    private record StoredTrial(TrialRecord trial, Map<String, Double> latestMetrics, StoredDetection detection) {
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
        List<StoredTrial> trials = store.read(c -> {
            if (store.sweeps().find(c, sweepId).isEmpty()) {
                throw new NotFoundException("no sweep " + sweepId);
            }
            Map<String, Map<String, Double>> latest = store.metrics().latestOfSweep(c, sweepId);
            Map<String, StoredDetection> detections = store.detections().listBySweep(c, sweepId);
            return store.trials().listBySweep(c, sweepId).stream()
                    .map(t -> new StoredTrial(t, latest.getOrDefault(t.id(), Map.of()), detections.get(t.id())))
                    .toList();
        });
        return trials.stream().map(this::trialView).toList();
    }

    public TrialView trial(String id) {
        return trialView(store.read(c -> {
            TrialRecord trial = store.trials().find(c, id).orElseThrow(() -> new NotFoundException("no trial " + id));
            return new StoredTrial(trial, store.metrics().latestOfTrial(c, id),
                    store.detections().find(c, id).orElse(null));
        }));
    }

    private TrialView trialView(StoredTrial t) {
        return trialView(t.trial(), t.latestMetrics(), t.detection(), samples.latestUrl(t.trial().id()));
    }

    /** The detector replayed over the trial's stored points now (not the stored verdict). */
    public DetectionView detectionOf(String trialId) {
        return store.read(c -> {
            if (store.trials().find(c, trialId).isEmpty()) {
                throw new NotFoundException("no trial " + trialId);
            }
            return DetectionView.of(detector.replay(c, store, trialId));
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

    static TrialView trialView(TrialRecord t, Map<String, Double> latestMetrics, StoredDetection detection,
                               String latestSampleUrl) {
        var p = t.progress();
        return new TrialView(t.id(), t.sweepId(), t.index(), t.params(), p.state().name(), p.attempt(),
                p.lostAttempts(), p.step(), p.totalSteps(), p.worker(), p.reason(), p.cancelRequested(),
                latestMetrics, DetectionView.of(detection), latestSampleUrl, t.createdAt(), t.requestedAt(),
                t.startedAt(), t.finishedAt(), t.updatedAt());
    }
}
