package io.bayesweep.orchestrator.metrics;

import io.bayesweep.orchestrator.trials.TrialState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bayesweep_trials{sweep,state}}: each sweep's trial counts by state, one series per state (zeros included,
 * so that a panel shows every state), for the sweeps the last refresh read from the store. A sweep that is no longer
 * among them (finished longer than the grace period ago) loses its series.
 */
public final class SweepTrialCounts {

    private static final class SweepSeries {
        final Map<TrialState, AtomicInteger> counts = new EnumMap<>(TrialState.class);
        final List<Meter> meters = new ArrayList<>();
    }

    private final MeterRegistry registry;
    private final Map<String, SweepSeries> sweeps = new HashMap<>();

    public SweepTrialCounts(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets the counts of these sweeps and removes the series of every other sweep. */
    public synchronized void update(Map<String, Map<TrialState, Integer>> countsBySweep) {
        for (Iterator<Map.Entry<String, SweepSeries>> it = sweeps.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, SweepSeries> sweep = it.next();
            if (!countsBySweep.containsKey(sweep.getKey())) {
                sweep.getValue().meters.forEach(registry::remove);
                it.remove();
            }
        }
        countsBySweep.forEach((sweepId, counts) -> {
            SweepSeries series = sweeps.computeIfAbsent(sweepId, this::register);
            for (TrialState state : TrialState.values()) {
                series.counts.get(state).set(counts.getOrDefault(state, 0));
            }
        });
    }

    /** The sweeps that have series now. */
    public synchronized java.util.Set<String> sweepIds() {
        return java.util.Set.copyOf(sweeps.keySet());
    }

    private SweepSeries register(String sweepId) {
        SweepSeries series = new SweepSeries();
        for (TrialState state : TrialState.values()) {
            AtomicInteger count = new AtomicInteger();
            series.counts.put(state, count);
            series.meters.add(Gauge.builder("bayesweep.trials", count, AtomicInteger::get)
                    .description("Trials of the sweep in each state, for sweeps running or finished within the grace "
                            + "period")
                    .tags("sweep", sweepId, "state", state.name()).strongReference(true).register(registry));
        }
        return series;
    }
}
