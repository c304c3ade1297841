package io.bayesweep.orchestrator.sweeps;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keys of messages sent and not yet acknowledged, so that a relay does not send them again while the producer
 * still retries. An entry older than {@code expiry} counts as lost (its callback never came).
 */
public final class InFlight {

    private final ConcurrentMap<String, Instant> sentAt = new ConcurrentHashMap<>();
    private final Duration expiry;
    private final Clock clock;

    public InFlight(Duration expiry, Clock clock) {
        this.expiry = expiry;
        this.clock = clock;
    }

    /** @return false when the key is already in flight */
    public boolean begin(String key) {
        Instant now = clock.instant();
        Instant previous = sentAt.putIfAbsent(key, now);
        if (previous == null) {
            return true;
        }
        if (previous.plus(expiry).isBefore(now) && sentAt.replace(key, previous, now)) {
            return true;
        }
        return false;
    }

    public void end(String key) {
        sentAt.remove(key);
    }
}
