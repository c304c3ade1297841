package io.bayesweep.worker;

import io.bayesweep.messages.ControlCommand;
import io.bayesweep.messages.Json;
import io.bayesweep.messages.MalformedMessageException;
import io.bayesweep.messages.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads every control command, from the beginning of the (compacted) control topic, outside any
 * consumer group: each worker must see every STOP, whichever worker owns the trial, and a worker
 * that starts late must still know which trials were stopped before it joined.
 */
final class ControlListener implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);

    interface StopHandler {
        void stop(String trialId);
    }

    private final Consumer<String, byte[]> consumer;
    private final StopHandler handler;
    private final Set<String> stoppedTrials = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    ControlListener(Consumer<String, byte[]> consumer, StopHandler handler) {
        this.consumer = consumer;
        this.handler = handler;
    }

    boolean isStopped(String trialId) {
        return stoppedTrials.contains(trialId);
    }

    @Override
    public void run() {
        try {
            assignWhenTopicExists();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    void close() {
        running = false;
        consumer.wakeup();
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            ControlCommand command = Json.fromBytes(record.value(), ControlCommand.class);
            if (command.action() == ControlCommand.Action.STOP && command.trialId() != null) {
                stoppedTrials.add(command.trialId());
                handler.stop(command.trialId());
            }
        } catch (MalformedMessageException e) {
            // Control commands are advisory: a bad one is logged and skipped, never fatal.
            LOG.warn("skipping unreadable control record at offset {}: {}", record.offset(), e.getMessage());
        }
    }

    /** The orchestrator creates the topic; until then there is nothing to read. */
    private void assignWhenTopicExists() {
        while (running) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.CONTROL, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> partitions = infos.stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                return;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
