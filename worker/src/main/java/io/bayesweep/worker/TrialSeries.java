package io.bayesweep.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-trial gauges ({@code sweep}, {@code trial}; {@code worker} is a common tag) one worker publishes
 * for one trial. A gauge is registered when its first value arrives, so no series shows a made-up value
 * (a trial has no fidelity before its first eval). They outlive an attempt: a trial that comes back to this
 * worker within the grace period goes on with the same series.
 */
final class TrialSeries {
    static final String STEP = "bayesweep.worker.trial.step";
    static final String LOSS = "bayesweep.worker.trial.loss";
    /** Eval metric name (as the model reports it) to gauge name. */
    static final Map<String, String> EVAL_GAUGES = Map.of(
            "fidelity", "bayesweep.worker.trial.fidelity",
            "noise", "bayesweep.worker.trial.noise",
            "diversity", "bayesweep.worker.trial.diversity",
            "kl", "bayesweep.worker.trial.kl");

    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();
    private final Map<String, Meter> gauges = new ConcurrentHashMap<>();

    /** Lifecycle state, guarded by the owning {@link WorkerMetrics}. */
    boolean attemptRunning;
    /** Counts attempt ends, so that a removal scheduled before the trial came back is recognised as stale. */
    long endedAttempts;

    private static final class Latest {
        volatile double value;
    }

    TrialSeries(MeterRegistry registry, String sweepId, String trialId) {
        this.registry = registry;
        this.tags = Tags.of("sweep", sweepId, "trial", trialId);
    }

    void set(String gaugeName, double value) {
        latest.computeIfAbsent(gaugeName, name -> {
            Latest holder = new Latest();
            gauges.put(name, Gauge.builder(name, holder, h -> h.value).tags(tags).strongReference(true)
                    .register(registry));
            return holder;
        }).value = value;
    }

    void remove() {
        gauges.values().forEach(registry::remove);
        gauges.clear();
        latest.clear();
    }
}
