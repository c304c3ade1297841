package io.bayesweep.orchestrator.config;

import io.bayesweep.orchestrator.artifacts.SampleGrids;
import io.bayesweep.orchestrator.kafka.TopicSetup;
import io.bayesweep.orchestrator.metrics.MetricsRefresh;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Ordered start-up: after the embedded broker (if any), before SmallRye Messaging connects its consumers, so that
 * the topics exist with their planned partitions (a consumer would otherwise have the broker auto-create them with
 * its defaults). The store opens (and migrates) here too, so that a wrong URL fails the start, not the first request,
 * and the gauges of the unfinished trials are rebuilt from it, so that a restarted orchestrator exports them at once.
 */
@ApplicationScoped
public class Startup {

    private static final Logger LOG = Logger.getLogger(Startup.class);

    private final TrackerStore store;
    private final TopicSetup topics;
    private final SampleGrids samples;
    private final MetricsRefresh metrics;

    Startup(TrackerStore store, TopicSetup topics, SampleGrids samples, MetricsRefresh metrics) {
        this.store = store;
        this.topics = topics;
        this.samples = samples;
        this.metrics = metrics;
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        store.isReachable(Duration.ofSeconds(5)); // the producer opened and migrated it; this only touches it
        topics.ensureTopics(Duration.ofSeconds(15)); // when Kafka is down, BackgroundJobs keeps trying
        if (samples.available()) {
            LOG.infof("serving sample grids from %s", samples.root());
        } else {
            // Not fatal: the workers may create it later; until then the samples endpoints answer 404.
            LOG.warnf("the artifacts directory %s does not exist (yet) or cannot be read: no sample grids can be "
                    + "served until it does; it must be the workers' BAYESWEEP_ARTIFACTS_DIR", samples.root());
        }
        // Before the consumers run, so that no event applied to a gauge is overwritten by an older snapshot.
        try {
            int restored = metrics.restore();
            if (restored > 0) {
                LOG.infof("restored the gauges of %d unfinished trials", restored);
            }
        } catch (RuntimeException e) {
            // Not fatal: the trials get their series again with their next point or event.
            LOG.warnf("cannot restore the trial gauges from the store: %s", e.toString());
        }
        // Nothing here may touch the messaging channels: they are wired after this observer.
    }
}
