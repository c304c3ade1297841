package io.bayesweep.orchestrator.detection;

import io.bayesweep.detect.DetectorParams;
import io.bayesweep.detect.DetectorState;
import io.bayesweep.orchestrator.store.AlertRecord;
import io.bayesweep.orchestrator.store.StoredDetection;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.store.TrialRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The orchestrator's corruption-stage detector, one per trial, kept in the store rather than in memory: each newly
 * stored eval point replays the detector over the trial's stored points in step order, stores the verdict
 * ({@code trial_detections}) and queues the alerts it calls for ({@code corruption_alerts}, the outbox that
 * {@link AlertOutbox} publishes), all in the transaction that stored the point. Points that arrive late, twice or
 * out of order change nothing but what the points themselves change, and an orchestrator that dies between the
 * commit and the publish leaves the alerts in the outbox.
 */
public final class CorruptionMonitor {

    private final DetectorParams params;
    private final Clock clock;

    public CorruptionMonitor(DetectorParams params, Clock clock) {
        this.params = Objects.requireNonNull(params, "params");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** With the default parameters, {@link DetectorParams#defaults()}. */
    public CorruptionMonitor() {
        this(DetectorParams.defaults(), Clock.systemUTC());
    }

    public DetectorParams params() {
        return params;
    }

    /**
     * What one {@link #update} decided.
     *
     * @param state  the trial's detector state after its stored points, as stored in {@code trial_detections}
     * @param alerts the alerts queued by this call, to publish once the transaction has committed
     */
    public record Update(DetectorState state, List<AlertRecord> alerts) {
        public Update {
            alerts = List.copyOf(alerts);
        }
    }

    /**
     * Replays the detector over the trial's stored points, stores its verdict and queues new alerts. Call in the
     * transaction that stored a point, with the trial row locked (the lock serializes the trial's replays).
     */
    public Update update(Connection c, TrackerStore store, TrialRecord trial) throws SQLException {
        DetectionReplay replay = replay(c, store, trial.id());
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC)).truncatedTo(ChronoUnit.MICROS);
        store.detections().save(c, new StoredDetection(trial.id(), replay.detector(), replay.state(),
                replay.windows(), replay.points(), replay.lastStep(), now));
        List<AlertRecord> before = store.detections().alertsOf(c, trial.id(), replay.detector());
        List<AlertRecord> queued = new ArrayList<>();
        for (AlertRecord alert : AlertPlanner.plan(trial.sweepId(), trial.id(), replay, before, now)) {
            if (store.detections().insertAlert(c, alert)) {
                queued.add(alert);
            }
        }
        return new Update(replay.state(), queued);
    }

    /** The detector over the trial's stored points, from scratch; stores nothing. */
    public DetectionReplay replay(Connection c, TrackerStore store, String trialId) throws SQLException {
        return DetectionReplay.of(store.metrics().history(c, trialId, DetectionReplay.METRICS), params);
    }
}
