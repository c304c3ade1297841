package io.bayesweep.orchestrator.config;

import io.bayesweep.orchestrator.detection.AlertOutbox;
import io.bayesweep.orchestrator.kafka.TopicSetup;
import io.bayesweep.orchestrator.metrics.MetricsRefresh;
import io.bayesweep.orchestrator.sweeps.StopCommands;
import io.bayesweep.orchestrator.sweeps.TrialRequestOutbox;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The periodic work: topic set-up until it succeeds, the outbox relays for trial requests, STOPs and alerts, and the
 * metrics refresh (sweep trial counts, expired trial series).
 */
@ApplicationScoped
public class BackgroundJobs {

    private static final Logger LOG = Logger.getLogger(BackgroundJobs.class);

    private final TopicSetup topics;
    private final TrialRequestOutbox trialRequests;
    private final StopCommands stops;
    private final AlertOutbox alerts;
    private final MetricsRefresh metrics;
    private final OrchestratorConfig config;
    private ScheduledExecutorService scheduler;

    BackgroundJobs(TopicSetup topics, TrialRequestOutbox trialRequests, StopCommands stops, AlertOutbox alerts,
                   MetricsRefresh metrics, OrchestratorConfig config) {
        this.topics = topics;
        this.trialRequests = trialRequests;
        this.stops = stops;
        this.alerts = alerts;
        this.metrics = metrics;
        this.config = config;
    }

    /** After SmallRye Messaging has wired the channels (default priority, later than LIBRARY_BEFORE). */
    synchronized void start(@Observes StartupEvent event) {
        if (scheduler != null) {
            return;
        }
        // Two threads: a relay that waits for Kafka (topic set-up, up to 10 s) must not hold the metrics back.
        scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "bayesweep-background");
            thread.setDaemon(true);
            return thread;
        });
        long periodMs = config.outbox().interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::relay, periodMs, periodMs, TimeUnit.MILLISECONDS);
        long metricsMs = config.metrics().refreshInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshMetrics, metricsMs, metricsMs, TimeUnit.MILLISECONDS);
    }

    /** Before the Kafka clients close: nothing new is sent while they shut down. */
    synchronized void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void relay() {
        // A failing run must not cancel the schedule: log and try again next time.
        try {
            if (!topics.isDone() && !topics.ensureTopics(Duration.ofSeconds(10))) {
                return;
            }
            trialRequests.republishUnrequested();
            stops.republishUnacknowledged();
            alerts.republishUnpublished();
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay: %s", e.toString());
        }
    }

    private void refreshMetrics() {
        try {
            metrics.refresh();
        } catch (RuntimeException e) {
            LOG.warnf("metrics refresh: %s", e.toString());
        }
    }
}
