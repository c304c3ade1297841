package io.bayesweep.orchestrator.config;

import io.bayesweep.orchestrator.kafka.TopicSetup;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.time.Duration;

/**
 * Ordered start-up: after the embedded broker (if any), before SmallRye Messaging connects its consumers, so that
 * the topics exist with their planned partitions (a consumer would otherwise have the broker auto-create them with
 * its defaults). The store opens (and migrates) here too, so that a wrong URL fails the start, not the first request.
 */
@ApplicationScoped
public class Startup {

    private final TrackerStore store;
    private final TopicSetup topics;

    Startup(TrackerStore store, TopicSetup topics) {
        this.store = store;
        this.topics = topics;
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        store.isReachable(Duration.ofSeconds(5)); // the producer opened and migrated it; this only touches it
        topics.ensureTopics(Duration.ofSeconds(15)); // when Kafka is down, BackgroundJobs keeps trying
        // Nothing here may touch the messaging channels: they are wired after this observer.
    }
}
