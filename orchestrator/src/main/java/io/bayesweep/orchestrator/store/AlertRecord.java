package io.bayesweep.orchestrator.store;

import io.bayesweep.detect.DetectorState;
import io.bayesweep.messages.CorruptionStageEntered;
import io.bayesweep.messages.CorruptionStageExited;

import java.time.OffsetDateTime;

/**
 * A row of {@code corruption_alerts}: one alert the detector decided, and whether Kafka has it.
 *
 * @param onset       the window's onset as its ENTERED announced it: with trialId and detector, the window's identity
 * @param step        the eval step whose point confirmed the transition
 * @param end         EXITED: the first step back to normal; null for ENTERED
 * @param state       the trial's detector state after {@code step}
 * @param createdAt   when the orchestrator decided it; the message's timestamp
 * @param publishedAt when Kafka acknowledged it; null while it is still in the outbox
 */
public record AlertRecord(String trialId, String sweepId, String detector, long onset, Kind kind, long step, Long end,
                          double depth, DetectorState state, OffsetDateTime createdAt, OffsetDateTime publishedAt) {

    public enum Kind {
        ENTERED, EXITED
    }

    /** Unique per alert: trial, detector, onset, kind. */
    public String key() {
        return trialId + "|" + detector + "|" + onset + "|" + kind;
    }

    /** The message for bayesweep.alerts; the same every time it is built, so a resend is identical. */
    public Object message() {
        return kind == Kind.ENTERED
                ? CorruptionStageEntered.of(sweepId, trialId, step, onset, depth, detector, state, createdAt.toInstant())
                : CorruptionStageExited.of(sweepId, trialId, step, onset, end, depth, detector, state,
                createdAt.toInstant());
    }
}
