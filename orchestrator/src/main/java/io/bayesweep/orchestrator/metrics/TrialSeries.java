package io.bayesweep.orchestrator.metrics;

import io.bayesweep.detect.DetectorState;
import io.bayesweep.orchestrator.trials.TrialState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One trial's gauges and the plain values they read at scrape time. Changed only by {@link TrialGauges}, under this
 * object's lock; the scrape reads the volatile fields without it. A gauge is registered when its value first exists,
 * so that a trial that never reports a metric has no series for it.
 */
final class TrialSeries {

    /** A metric's latest value, read by its gauge; newer steps win, so out-of-order points never wind it back. */
    private static final class Latest {
        volatile long step;
        volatile double value;
    }

    final String sweepId;
    final String trialId;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, Latest> values = new HashMap<>();
    private Meter sinceProgress;
    private boolean stepRegistered;
    private boolean detectionRegistered;

    private volatile long evalStep = -1;
    private volatile long totalSteps;
    private long progressStep = -1;
    private volatile Instant progressAt;
    private volatile TrialState state;
    private volatile DetectorState detection;
    private Instant finishedAt;
    /** Its meters are gone from the registry: a change that comes later must make a new series. */
    boolean removed;

    TrialSeries(MeterRegistry registry, Clock clock, String sweepId, String trialId) {
        this.registry = registry;
        this.clock = clock;
        this.sweepId = sweepId;
        this.trialId = trialId;
        this.tags = Tags.of("sweep", sweepId == null ? "" : sweepId, "trial", trialId);
        gauge("bayesweep.trial.total_steps", "The trial's planned steps", this, s -> s.totalSteps);
        gauge("bayesweep.trial.running", "1 while the trial is RUNNING, else 0", this,
                s -> s.state == TrialState.RUNNING ? 1 : 0);
    }

    /** The state a transition or the store says; a terminal one is final, whatever arrives after it. */
    void state(TrialState newState, Instant finished, Instant now) {
        if (state != null && state.isTerminal()) {
            return;
        }
        state = newState;
        if (newState.isTerminal() && finishedAt == null) {
            finishedAt = finished == null ? now : finished;
        }
        syncSinceProgress();
    }

    /** The state a point carried: it may be older than a transition applied meanwhile, so it only fills a gap. */
    void stateIfUnknown(TrialState pointState, Instant now) {
        if (state == null) {
            state(pointState, null, now);
        } else if (state.isTerminal() && finishedAt == null) {
            finishedAt = now;
        }
    }

    /** The trial's step (events and points); moving forward is progress. */
    void progress(long step, long planned, Instant at) {
        if (step > progressStep || progressAt == null) {
            progressStep = Math.max(progressStep, step);
            progressAt = at;
        }
        if (planned > 0) {
            totalSteps = planned;
        }
    }

    /** A worker (re)started the trial: the progress clock starts again. */
    void restarted(Instant at) {
        progressAt = at;
    }

    void evalStep(long step) {
        if (step > evalStep) {
            evalStep = step;
        }
        if (!stepRegistered) {
            stepRegistered = true;
            gauge("bayesweep.trial.step", "The latest eval step stored for the trial", this, s -> s.evalStep);
        }
    }

    void value(String name, long step, double value) {
        Latest latest = values.get(name);
        if (latest == null) {
            latest = new Latest();
            latest.step = step;
            latest.value = value;
            values.put(name, latest);
            gauge("bayesweep.trial." + name, "The trial's latest " + name, latest, l -> l.value);
        } else if (step >= latest.step) {
            latest.step = step;
            latest.value = value;
        }
    }

    void detection(DetectorState newState) {
        detection = newState;
        if (!detectionRegistered) {
            detectionRegistered = true;
            gauge("bayesweep.corruption.active", "1 while the detector has a corruption window open (CORRUPTED)", this,
                    s -> s.detection == DetectorState.CORRUPTED ? 1 : 0);
            gauge("bayesweep.corruption.state", "Detector state: 0 HEALTHY, 1 IMPROVING, 2 CORRUPTED, 3 RECOVERING, "
                    + "4 OVERFIT", this, s -> code(s.detection));
        }
    }

    boolean isExpired(Instant now, Duration grace) {
        return finishedAt != null && !now.isBefore(finishedAt.plus(grace));
    }

    /** Unregisters every meter of the trial. */
    void remove() {
        if (sinceProgress != null) {
            registry.remove(sinceProgress);
            sinceProgress = null;
        }
        meters.forEach(registry::remove);
        meters.clear();
        removed = true;
    }

    /** The contract's codes, not the enum's order: a new detector state must not renumber the old ones. */
    static int code(DetectorState state) {
        if (state == null) {
            return -1;
        }
        return switch (state) {
            case HEALTHY -> 0;
            case IMPROVING -> 1;
            case CORRUPTED -> 2;
            case RECOVERING -> 3;
            case OVERFIT -> 4;
        };
    }

    /** Stall detection only makes sense for a trial a worker runs: the series exists only while RUNNING. */
    private void syncSinceProgress() {
        boolean running = state == TrialState.RUNNING;
        if (running && sinceProgress == null) {
            sinceProgress = Gauge.builder("bayesweep.trial.seconds_since_progress", this,
                            TrialSeries::secondsSinceProgress)
                    .description("Seconds since the trial's step last advanced, or since it started; RUNNING trials")
                    .tags(tags).strongReference(true).register(registry);
        } else if (!running && sinceProgress != null) {
            registry.remove(sinceProgress);
            sinceProgress = null;
        }
    }

    private double secondsSinceProgress() {
        Instant since = progressAt;
        return since == null ? 0 : Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }

    private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        meters.add(Gauge.builder(name, source, value).description(description).tags(tags).strongReference(true)
                .register(registry));
    }
}
