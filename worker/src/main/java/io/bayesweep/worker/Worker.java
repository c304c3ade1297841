package io.bayesweep.worker;

import io.bayesweep.messages.Json;
import io.bayesweep.messages.MalformedMessageException;
import io.bayesweep.messages.Topics;
import io.bayesweep.messages.TrialRequested;
import io.bayesweep.model.FineTuner;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A member of the worker consumer group: takes trial requests from {@code bayesweep.trials}, one at
 * a time, and runs each on a training thread while the poll loop keeps the group membership alive.
 *
 * <p>Ownership: a trial belongs to the worker whose partition holds its request. The request's
 * offset is committed only when the trial is finished, so a worker that dies or loses the partition
 * leaves the request to the partition's next owner, which resumes from the trial's last checkpoint.
 * While a trial trains, every assigned partition is paused: polling continues (no poll-interval
 * timeout however long the trial) but no second trial is taken.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final WorkerConfig config;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final TrialRunner runner;
    private final WorkerMetrics metrics;
    /** Serves the metrics; null when not served (off, or the port could not be bound). */
    private volatile MetricsServer metricsServer;
    /** Offsets of finished requests not yet committed (poll-loop thread only). */
    private final Map<TopicPartition, OffsetAndMetadata> pendingCommits = new HashMap<>();
    private final ControlListener control;
    private final ExecutorService training;
    private final Thread pollThread;
    private final Thread controlThread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    /** The trial being trained, or null; touched by the poll thread, read by the control thread. */
    private volatile RunningTrial current;
    /** The partition of the running trial, as this worker tells the group (see {@link BusyAwareAssignor}). */
    private final AtomicReference<TopicPartition> busyPartition = new AtomicReference<>();
    private volatile Set<TopicPartition> assigned = Set.of();

    private record RunningTrial(TrialRequested request, TopicPartition partition, long offset,
                                AtomicReference<StopReason> stop, Future<Boolean> outcome) {
    }

    public Worker(WorkerConfig config, FineTuner fineTuner) {
        this.config = config;
        this.consumer = new KafkaConsumer<>(consumerProperties(config, busyPartition), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProperties(config), new StringSerializer(), new ByteArraySerializer());
        Consumer<String, byte[]> controlConsumer = new KafkaConsumer<>(controlProperties(config),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.metrics = new WorkerMetrics(config.workerId(), config.metrics().finishedGrace());
        metrics.bindKafkaClient(consumer);
        metrics.bindKafkaClient(controlConsumer);
        metrics.bindKafkaClient(producer);
        this.runner = new TrialRunner(fineTuner, new DirectoryArtifactStore(config.artifactsDir()), producer, config,
                metrics);
        this.control = new ControlListener(controlConsumer, this::stopIfRunning);
        this.training = Executors.newSingleThreadExecutor(r -> new Thread(r, config.workerId() + "-training"));
        this.pollThread = new Thread(this::pollLoop, config.workerId() + "-poll");
        this.controlThread = new Thread(control, config.workerId() + "-control");
    }

    public Worker start() {
        metricsServer = serveMetrics();
        controlThread.start();
        pollThread.start();
        LOG.info("{} joined group {} at {}", config.workerId(), config.groupId(), config.bootstrapServers());
        return this;
    }

    /**
     * A worker that cannot serve its metrics still trains: the metrics are worth less than the trials (several
     * local workers on one host, for one, must each be given a port of their own, or 0).
     */
    private MetricsServer serveMetrics() {
        MetricsConfig settings = config.metrics();
        if (!settings.served()) {
            LOG.info("{}: metrics kept but not served over HTTP (port off)", config.workerId());
            return null;
        }
        try {
            MetricsServer server = MetricsServer.start(settings.host(), settings.port(), metrics::scrape);
            LOG.info("{}: metrics at {}", config.workerId(), server.metricsUrl());
            return server;
        } catch (IOException e) {
            LOG.warn("{}: cannot serve metrics on {}:{} ({}); running without them. Set {} to a free port, 0 for "
                            + "any, or off, and {} to an address of this host", config.workerId(), settings.host(),
                    settings.port(), e.toString(), MetricsConfig.PORT_ENV, MetricsConfig.HOST_ENV);
            return null;
        }
    }

    /** The port the metrics are served on, if they are. */
    public OptionalInt metricsPort() {
        MetricsServer server = metricsServer;
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.port());
    }

    public String id() {
        return config.workerId();
    }

    /** The partitions of {@code bayesweep.trials} this worker holds now. */
    public Set<TopicPartition> assignedPartitions() {
        return assigned;
    }

    /** Whether a STOP for this trial has reached this worker. */
    boolean knowsStopped(String trialId) {
        return control.isStopped(trialId);
    }

    /** The id of the trial this worker is training now, or null. */
    public String currentTrialId() {
        RunningTrial trial = current;
        return trial == null ? null : trial.request().trialId();
    }

    /**
     * Stops the worker: a running trial is released (not reported finished, its request not
     * committed) after its training thread has stopped, then the worker leaves the group so that
     * another worker takes the trial over at once.
     */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        control.close();
        try {
            if (!stopped.await(2, TimeUnit.MINUTES)) {
                LOG.warn("{}: poll loop did not stop in time", config.workerId());
            }
            controlThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        training.shutdownNow();
        producer.close(Duration.ofSeconds(10));
        // last, so that a scrape during a long release still gets an answer
        MetricsServer server = metricsServer;
        if (server != null) {
            server.close();
        }
        metrics.close();
    }

    private void pollLoop() {
        try {
            consumer.subscribe(List.of(Topics.TRIALS), new OwnershipListener());
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                commitPending();
                for (ConsumerRecord<String, byte[]> record : records) {
                    take(record);
                }
                finishIfDone();
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("{}: unexpected wakeup", config.workerId(), e);
            }
        } catch (RuntimeException e) {
            LOG.error("{}: poll loop failed", config.workerId(), e);
        } finally {
            releaseCurrent();
            consumer.close(Duration.ofSeconds(10));
            stopped.countDown();
        }
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (current != null) {
            // Partitions are paused while training; a record fetched before the pause is read again later.
            consumer.seek(partition, record.offset());
            return;
        }
        TrialRequested request;
        try {
            request = Json.fromBytes(record.value(), TrialRequested.class);
            if (request.trialId() == null || request.sweepId() == null || request.params() == null) {
                throw new MalformedMessageException("TrialRequested: sweepId, trialId and params are required");
            }
        } catch (MalformedMessageException e) {
            deadLetter(record, e.getMessage());
            commit(partition, record.offset());
            return;
        }
        if (control.isStopped(request.trialId())) {
            LOG.info("{}: skipping {}, stopped before it started", config.workerId(), request.trialId());
            try {
                runner.skipStopped(request);
            } catch (Exception e) {
                throw new IllegalStateException("cannot report the cancellation of " + request.trialId(), e);
            }
            commit(partition, record.offset());
            return;
        }
        AtomicReference<StopReason> stop = new AtomicReference<>();
        Future<Boolean> outcome = training.submit(() -> runner.run(request, stop));
        current = new RunningTrial(request, partition, record.offset(), stop, outcome);
        consumer.pause(consumer.assignment());
        // Keep only this trial's partition; the group gives the others to idle workers.
        busyPartition.set(partition);
        consumer.enforceRebalance();
    }

    private void finishIfDone() {
        RunningTrial trial = current;
        if (trial == null || !trial.outcome().isDone()) {
            return;
        }
        current = null;
        boolean finished;
        try {
            finished = trial.outcome().get();
        } catch (Exception e) {
            // The terminal event could not be written (Kafka unavailable): run the trial again later.
            LOG.warn("{}: {} did not finish cleanly, will retry: {}", config.workerId(), trial.request().trialId(), e.toString());
            finished = false;
        }
        if (consumer.assignment().contains(trial.partition())) {
            if (finished) {
                commit(trial.partition(), trial.offset());
            } else {
                consumer.seek(trial.partition(), trial.offset());
                sleepQuietly(1000);
            }
        }
        consumer.resume(consumer.assignment());
        busyPartition.set(null);
        consumer.enforceRebalance(); // idle again: take a share of the partitions
    }

    /** Called by the control thread for every STOP command. */
    private void stopIfRunning(String trialId) {
        RunningTrial trial = current;
        if (trial != null && trial.request().trialId().equals(trialId)) {
            LOG.info("{}: stop requested for {}", config.workerId(), trialId);
            trial.stop().compareAndSet(null, StopReason.CANCELLED);
        }
    }

    /** Stops the running trial without finishing it, and waits for its training thread. */
    private void releaseCurrent() {
        RunningTrial trial = current;
        if (trial == null) {
            return;
        }
        trial.stop().compareAndSet(null, StopReason.RELEASED);
        try {
            trial.outcome().get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            LOG.warn("{}: {} did not stop cleanly: {}", config.workerId(), trial.request().trialId(), e.toString());
        }
        current = null;
        busyPartition.set(null);
    }

    /**
     * Commits {@code offset} as done. The worker's own enforceRebalance calls make a rebalance in progress
     * likely at this moment, and commitSync refuses then: the offset is kept and committed after the next
     * poll (or when the partition is revoked), instead of failing the poll loop.
     */
    private void commit(TopicPartition partition, long offset) {
        pendingCommits.merge(partition, new OffsetAndMetadata(offset + 1),
                (a, b) -> a.offset() >= b.offset() ? a : b);
        commitPending();
    }

    private void commitPending() {
        if (pendingCommits.isEmpty()) {
            return;
        }
        // a partition that moved on is no longer ours to commit; its new owner skips the finished trial
        pendingCommits.keySet().retainAll(consumer.assignment());
        if (pendingCommits.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(pendingCommits));
            pendingCommits.clear();
        } catch (RebalanceInProgressException e) {
            LOG.debug("{}: commit deferred until the rebalance completes", config.workerId());
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warn("{}: poison trial request at {}-{}@{} sent to {}: {}", config.workerId(), record.topic(),
                record.partition(), record.offset(), Topics.TRIALS_DLQ, reason);
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.TRIALS_DLQ, record.key(), record.value());
        dead.headers().add(Topics.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        dead.headers().add("bayesweep-dlq-source", (record.topic() + "-" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(dead).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to the dead-letter topic " + Topics.TRIALS_DLQ, e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Releases a trial whose partition moves to another worker; pauses partitions gained mid-trial. */
    private final class OwnershipListener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitPending(); // allowed here, and the last chance for offsets of partitions that move on
            assigned = Set.copyOf(consumer.assignment().stream().filter(p -> !partitions.contains(p)).toList());
            RunningTrial trial = current;
            if (trial != null && partitions.contains(trial.partition())) {
                LOG.info("{}: lost the partition of {}, releasing it", config.workerId(), trial.request().trialId());
                releaseCurrent();
                // Idle now: the partitions this worker keeps must not stay paused.
                consumer.resume(consumer.assignment());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = Set.copyOf(consumer.assignment());
            if (current != null) {
                consumer.pause(partitions);
            } else {
                consumer.resume(consumer.assignment());
            }
        }
    }

    private static Map<String, Object> consumerProperties(WorkerConfig config,
                                                          AtomicReference<TopicPartition> busyPartition) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1000, config.sessionTimeout().toMillis() / 5));
        // Busy workers keep only their trial's partition; cooperative, so a running trial's partition is never moved.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, BusyAwareAssignor.class.getName());
        p.put(BusyAwareAssignor.BUSY_PARTITION_CONFIG, busyPartition);
        return p;
    }

    private static Map<String, Object> controlProperties(WorkerConfig config) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-control");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return p;
    }

    private static Map<String, Object> producerProperties(WorkerConfig config) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }
}
