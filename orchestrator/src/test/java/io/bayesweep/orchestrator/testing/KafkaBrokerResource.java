package io.bayesweep.orchestrator.testing;

import io.bayesweep.kafka.EmbeddedKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * One real in-process Kafka broker for the test run (no Docker here). All test classes with the same resources
 * share it, so tests must not assert global counts: filter records by the sweep or trial they created.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;

    /** Starts the broker if needed; usable from plain tests and from other resources (workers). */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.startTemporary();
        }
        return broker.bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers(),
                "bayesweep.embedded-kafka.enabled", "false");
    }

    @Override
    public void stop() {
        synchronized (KafkaBrokerResource.class) {
            if (broker != null) {
                broker.close();
                broker = null;
            }
        }
    }
}
