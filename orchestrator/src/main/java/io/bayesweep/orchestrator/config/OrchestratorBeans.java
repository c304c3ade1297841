package io.bayesweep.orchestrator.config;

import io.bayesweep.detect.DetectorParams;
import io.bayesweep.orchestrator.alertmanager.AlertmanagerWebhook;
import io.bayesweep.orchestrator.artifacts.SampleGrids;
import io.bayesweep.orchestrator.detection.AlertOutbox;
import io.bayesweep.orchestrator.detection.CorruptionMonitor;
import io.bayesweep.orchestrator.kafka.KafkaChannels;
import io.bayesweep.orchestrator.metrics.MetricsRefresh;
import io.bayesweep.orchestrator.metrics.PipelineCounters;
import io.bayesweep.orchestrator.metrics.SweepTrialCounts;
import io.bayesweep.orchestrator.metrics.TrialGauges;
import io.bayesweep.orchestrator.store.StoreSettings;
import io.bayesweep.orchestrator.store.TrackerStore;
import io.bayesweep.orchestrator.sweeps.StopCommands;
import io.bayesweep.orchestrator.sweeps.SweepService;
import io.bayesweep.orchestrator.sweeps.TrialRequestOutbox;
import io.bayesweep.orchestrator.trials.TrialTracker;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Builds the plain (framework-free) parts of the orchestrator from the configuration. */
@ApplicationScoped
public class OrchestratorBeans {

    @Produces
    @Singleton
    TrackerStore trackerStore(OrchestratorConfig config) {
        var store = config.store();
        String url = store.jdbcUrl().filter(u -> !u.isBlank()).orElseGet(() -> defaultStoreUrl(config.dataDir()));
        return TrackerStore.open(new StoreSettings(url, store.username().orElse(null), store.password().orElse(""),
                store.maxConnections()));
    }

    void closeStore(@Disposes TrackerStore store) {
        store.close();
    }

    /** The embedded default: an H2 file database under the data directory. */
    static String defaultStoreUrl(Path dataDir) {
        return StoreSettings.embeddedH2Url(dataDir.resolve("store").resolve("bayesweep").toAbsolutePath().toString());
    }

    /** The sample grids the workers write into the shared artifact store. */
    @Produces
    @Singleton
    SampleGrids sampleGrids(OrchestratorConfig config) {
        return new SampleGrids(artifactsDir(config));
    }

    /** {@code bayesweep.artifacts.dir}, else {@code <data-dir>/artifacts} (the workers' folder under 'sweep server'). */
    static Path artifactsDir(OrchestratorConfig config) {
        return config.artifacts().dir().orElseGet(() -> config.dataDir().resolve("artifacts"));
    }

    /** Runs Kafka acknowledgement callbacks that write to the store, off the producer's I/O thread. */
    @Produces
    @Singleton
    @Named("kafka-callbacks")
    ExecutorService kafkaCallbacks() {
        return Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "bayesweep-kafka-callbacks");
            thread.setDaemon(true);
            return thread;
        });
    }

    void closeKafkaCallbacks(@Disposes @Named("kafka-callbacks") ExecutorService executor) {
        executor.shutdown();
    }

    @Produces
    @Singleton
    TrialTracker trialTracker(TrackerStore store, CorruptionMonitor detector, TrialGauges gauges) {
        return new TrialTracker(store, detector, gauges);
    }

    /** The per-trial gauges on /q/metrics, fed by the tracker after each commit. */
    @Produces
    @Singleton
    TrialGauges trialGauges(MeterRegistry registry, OrchestratorConfig config) {
        return new TrialGauges(registry, Clock.systemUTC(), config.metrics().finishedGrace());
    }

    @Produces
    @Singleton
    SweepTrialCounts sweepTrialCounts(MeterRegistry registry) {
        return new SweepTrialCounts(registry);
    }

    @Produces
    @Singleton
    PipelineCounters pipelineCounters(MeterRegistry registry) {
        return new PipelineCounters(registry);
    }

    @Produces
    @Singleton
    AlertmanagerWebhook alertmanagerWebhook(TrackerStore store, PipelineCounters counters) {
        return new AlertmanagerWebhook(store, counters, Clock.systemUTC());
    }

    @Produces
    @Singleton
    MetricsRefresh metricsRefresh(TrackerStore store, TrialGauges gauges, SweepTrialCounts sweeps,
                                  OrchestratorConfig config) {
        return new MetricsRefresh(store, gauges, sweeps, config.metrics().finishedGrace(), Clock.systemUTC());
    }

    /**
     * The corruption-stage detector of every trial, with the default parameters ({@link DetectorParams#defaults()},
     * v3); its parameter version goes into each verdict and alert.
     */
    @Produces
    @Singleton
    CorruptionMonitor corruptionMonitor() {
        return new CorruptionMonitor(DetectorParams.defaults(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    AlertOutbox alertOutbox(TrackerStore store, KafkaChannels channels, OrchestratorConfig config,
                            @Named("kafka-callbacks") ExecutorService callbacks, PipelineCounters counters) {
        var outbox = config.outbox();
        return new AlertOutbox(store, channels.corruptionAlerts(), outbox.grace(), outbox.inFlightExpiry(),
                Clock.systemUTC(), callbacks, counters::alertPublished);
    }

    @Produces
    @Singleton
    TrialRequestOutbox trialRequestOutbox(TrackerStore store, KafkaChannels channels, OrchestratorConfig config,
                                          @Named("kafka-callbacks") ExecutorService callbacks) {
        var outbox = config.outbox();
        return new TrialRequestOutbox(store, channels.trialRequests(), outbox.grace(), outbox.inFlightExpiry(),
                Clock.systemUTC(), callbacks);
    }

    @Produces
    @Singleton
    StopCommands stopCommands(TrackerStore store, KafkaChannels channels, OrchestratorConfig config,
                              @Named("kafka-callbacks") ExecutorService callbacks) {
        return new StopCommands(store, channels.controlCommands(), config.outbox().inFlightExpiry(),
                Clock.systemUTC(), callbacks);
    }

    @Produces
    @Singleton
    SweepService sweepService(TrackerStore store, TrialTracker tracker, TrialRequestOutbox outbox,
                              StopCommands stops) {
        return new SweepService(store, tracker, outbox, stops, Clock.systemUTC());
    }
}
