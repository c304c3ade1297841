package io.bayesweep.orchestrator.sweeps;

import io.bayesweep.orchestrator.store.StoreException;
import io.bayesweep.orchestrator.store.SweepRecord;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.store.TrialRecord;
import io.bayesweep.orchestrator.trials.SweepState;
import io.bayesweep.orchestrator.trials.TrialProgress;
import io.bayesweep.orchestrator.trials.TrialStateMachine;
import io.bayesweep.orchestrator.trials.TrialTracker;
import io.bayesweep.orchestrator.trials.Transition;
import io.bayesweep.sweep.SweepExpander;
import io.bayesweep.sweep.SweepParser;
import io.bayesweep.sweep.SweepSpec;
import io.bayesweep.sweep.SweepValidationException;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Submitting and cancelling sweeps: the store first, Kafka after the commit. */
public final class SweepService {

    /** A stop to send once the cancel has committed. */
    private record PendingStop(String sweepId, String trialId, boolean recordAck) {
    }

    private final TrackerStore store;
    private final TrialTracker tracker;
    private final TrialRequestOutbox outbox;
    private final StopCommands stops;
    private final Clock clock;

    public SweepService(TrackerStore store, TrialTracker tracker, TrialRequestOutbox outbox, StopCommands stops,
                        Clock clock) {
        this.store = store;
        this.tracker = tracker;
        this.outbox = outbox;
        this.stops = stops;
        this.clock = clock;
    }

    /**
     * Validates and expands a sweep file, stores the sweep with its trials, then requests the trials.
     *
     * @param seed the seed of random search, kept with the sweep so that the expansion can be reproduced
     */
    public SweepRecord submit(String specText, long seed) throws SweepValidationException {
        SweepSpec spec = SweepParser.parse(specText);
        List<Map<String, Object>> expansion = SweepExpander.expand(spec, seed);
        for (int tries = 1; ; tries++) {
            String sweepId = SweepIds.newSweepId();
            try {
                Submission submission = store.inTransaction(c -> {
                    Submission s = newSubmission(sweepId, spec, specText, seed, expansion);
                    store.sweeps().insert(c, s.sweep());
                    for (TrialRecord trial : s.trials()) {
                        store.trials().insert(c, trial);
                    }
                    return s;
                });
                submission.trials().forEach(outbox::publish);
                return submission.sweep();
            } catch (StoreException e) {
                if (!e.isDuplicateKey() || tries == 3) {
                    throw e;
                }
                // 32 random bits: a clash is rare, a new id fixes it.
            }
        }
    }

    /**
     * Cancels a running sweep: trials no worker runs are cancelled at once, running ones are told to stop.
     *
     * @throws SweepNotFoundException        for an unknown id
     * @throws SweepAlreadyFinishedException when the sweep has completed or was cancelled
     */
    public SweepRecord cancel(String sweepId) {
        List<PendingStop> toStop = store.inTransaction(c -> {
            SweepRecord sweep = store.sweeps().lock(c, sweepId).orElseThrow(() -> new SweepNotFoundException(sweepId));
            if (sweep.state().isFinished()) {
                throw new SweepAlreadyFinishedException(sweepId, sweep.state());
            }
            store.sweeps().requestCancel(c, sweepId);
            OffsetDateTime now = now();
            List<PendingStop> stopsToSend = new ArrayList<>();
            for (TrialRecord trial : store.trials().listBySweep(c, sweepId)) {
                Transition t = TrialStateMachine.onCancel(trial.progress());
                if (t.changed()) {
                    store.trials().updateProgress(c, trial.id(), t.after(), null, t.finished() ? now : null);
                }
                if (t.resendStop()) {
                    stopsToSend.add(new PendingStop(sweepId, trial.id(), true));
                } else if (t.finished() && trial.requestedAt() != null) {
                    // Its request is already in Kafka: the STOP lets a worker skip it instead of starting it.
                    stopsToSend.add(new PendingStop(sweepId, trial.id(), false));
                }
            }
            tracker.finishSweepIfDone(c, store.sweeps().find(c, sweepId).orElseThrow());
            return stopsToSend;
        });
        toStop.forEach(stop -> stops.stop(stop.sweepId(), stop.trialId(), stop.recordAck()));
        return store.read(c -> store.sweeps().find(c, sweepId)).orElseThrow(() -> new SweepNotFoundException(sweepId));
    }

    private record Submission(SweepRecord sweep, List<TrialRecord> trials) {
    }

    private Submission newSubmission(String sweepId, SweepSpec spec, String specText, long seed,
                                     List<Map<String, Object>> expansion) {
        OffsetDateTime now = now();
        var metric = spec.metric();
        // An empty expansion has nothing to wait for.
        SweepState state = expansion.isEmpty() ? SweepState.COMPLETED : SweepState.RUNNING;
        SweepRecord sweep = new SweepRecord(sweepId, spec.name(), spec.description(), spec.method().name(), state,
                false, specText, seed, metric == null ? null : metric.name(), metric == null ? null : metric.goal(),
                now, now, expansion.isEmpty() ? now : null);
        List<TrialRecord> trials = new ArrayList<>();
        for (int i = 0; i < expansion.size(); i++) {
            trials.add(new TrialRecord(SweepIds.trialId(sweepId, i), sweepId, i, expansion.get(i),
                    TrialProgress.pending(), null, null, now, null, null, now));
        }
        return new Submission(sweep, trials);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock.withZone(ZoneOffset.UTC)).truncatedTo(ChronoUnit.MICROS);
    }
}
