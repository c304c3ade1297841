package io.bayesweep.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The worker's meters in one Prometheus registry (names: docs/observability.md, section Worker): its own
 * (busy, throughput, step durations, attempts), the per-trial gauges, the JVM's and the Kafka clients'.
 * Every series carries the {@code worker} tag.
 *
 * <p>A finished attempt's per-trial series stay for the grace period, so that Prometheus scrapes the last
 * values, and are removed then, so that the worker's series follow the trials it runs, not its history.
 */
final class WorkerMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMetrics.class);

    /** Histogram buckets, in seconds: from a small model's step on a GPU to a large one's on a busy CPU. */
    private static final Duration[] STEP_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Duration finishedGrace;
    /** Runs the grace-period removals and the Kafka binders' refreshes: a daemon, it must not keep the JVM up. */
    private final ScheduledExecutorService scheduler;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Timer stepDuration;
    private final Counter attemptsEnded;
    private final Counter attemptErrors;
    private final StepRate stepRate = new StepRate();
    private volatile boolean busy;
    /** By trial id; guarded by this. */
    private final Map<String, TrialSeries> trials = new HashMap<>();

    WorkerMetrics(String workerId, Duration finishedGrace) {
        this.finishedGrace = finishedGrace;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, workerId + "-metrics");
            t.setDaemon(true);
            return t;
        });
        registry.config().commonTags("worker", workerId); // before any meter: common tags apply to later ones only
        Gauge.builder("bayesweep.worker.busy", this, m -> m.busy ? 1 : 0)
                .description("1 while the worker holds a trial").register(registry);
        Gauge.builder("bayesweep.worker.steps.per.second", stepRate, StepRate::perSecond)
                .description("training throughput over the recent steps, 0 when idle").register(registry);
        stepDuration = Timer.builder("bayesweep.worker.step.duration")
                .description("wall time of one training step, evals and checkpoints excluded")
                .serviceLevelObjectives(STEP_BUCKETS).register(registry);
        attemptsEnded = Counter.builder("bayesweep.worker.trials.finished")
                .description("attempts that ended, whatever the outcome").register(registry);
        attemptErrors = Counter.builder("bayesweep.worker.errors")
                .description("attempts that failed with an error").register(registry);
        bind(new JvmMemoryMetrics());
        bind(new JvmGcMetrics());
        bind(new JvmThreadMetrics());
        bind(new ClassLoaderMetrics());
        bind(new JvmInfoMetrics());
        bind(new ProcessorMetrics());
        bind(new UptimeMetrics());
        bind(new FileDescriptorMetrics());
    }

    void bindKafkaClient(Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer, Tags.empty(), scheduler));
    }

    void bindKafkaClient(Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer, Tags.empty(), scheduler));
    }

    private void bind(MeterBinder binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable closeable) {
            closeables.add(closeable);
        }
    }

    /** The worker has taken a trial: its series come back, or are created, and stay until the attempt ends. */
    synchronized TrialMeters attemptStarted(String sweepId, String trialId) {
        TrialSeries series = trials.computeIfAbsent(trialId, id -> new TrialSeries(registry, sweepId, id));
        series.attemptRunning = true;
        busy = true;
        return new TrialMeters(trialId, series, stepDuration, stepRate);
    }

    /**
     * The attempt is over, whatever the outcome (completed, failed, cancelled, or released to another worker):
     * its series go after the grace period unless the trial comes back to this worker first.
     */
    synchronized void attemptEnded(TrialMeters attempt, boolean failed) {
        busy = false;
        stepRate.stopped();
        attemptsEnded.increment();
        if (failed) {
            attemptErrors.increment();
        }
        TrialSeries series = attempt.series();
        series.attemptRunning = false;
        long ended = ++series.endedAttempts;
        try {
            scheduler.schedule(() -> removeIfStillEnded(attempt.trialId(), series, ended),
                    finishedGrace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed already (a training thread that outlived the worker's close): nothing is served any more
        }
    }

    private synchronized void removeIfStillEnded(String trialId, TrialSeries series, long ended) {
        if (series.attemptRunning || series.endedAttempts != ended || trials.get(trialId) != series) {
            return; // it came back: a later end schedules its own removal
        }
        series.remove();
        trials.remove(trialId);
    }

    /** The registry's contents in the Prometheus text format 0.0.4. */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("cannot close a metrics binder: {}", e.toString());
            }
        }
        registry.close();
    }
}
