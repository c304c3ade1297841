package io.bayesweep.orchestrator.kafka;

import io.bayesweep.orchestrator.store.StoreException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries work while the store is unreachable, so that a database outage holds consumption back (offsets stay
 * uncommitted) instead of sending good records to the dead-letter topic. Errors that are not transient are
 * rethrown at once.
 */
final class StoreRetry {

    private static final Logger LOG = Logger.getLogger(StoreRetry.class);

    private StoreRetry() {
    }

    static <T> T run(String what, Duration patience, Supplier<T> work) {
        long deadline = System.nanoTime() + patience.toNanos();
        long backoffMs = 200;
        while (true) {
            try {
                return work.get();
            } catch (StoreException e) {
                if (!e.isTransient() || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warnf("store unavailable while storing %s, retrying in %d ms: %s", what, backoffMs, e.getMessage());
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }
}
