package io.bayesweep.orchestrator.kafka;

import io.bayesweep.messages.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The topics bayesweep uses and how they are made. */
public record TopicPlan(String name, int partitions, Map<String, String> configs) {

    public static final String METRICS_DLQ = Topics.METRICS + ".dlq";
    public static final String TRIAL_EVENTS_DLQ = Topics.TRIAL_EVENTS + ".dlq";

    /** @param trialPartitions bounds how many workers run trials at once */
    public static List<TopicPlan> all(int trialPartitions) {
        return List.of(
                new TopicPlan(Topics.TRIALS, trialPartitions, Map.of()),
                new TopicPlan(Topics.METRICS, 4, Map.of()),
                new TopicPlan(Topics.TRIAL_EVENTS, 4, Map.of()),
                new TopicPlan(Topics.ALERTS, 4, Map.of()),
                // Compacted: the last command per trial stays, so a worker that joins later still sees a STOP.
                new TopicPlan(Topics.CONTROL, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT)),
                new TopicPlan(Topics.TRIALS_DLQ, 1, Map.of()),
                new TopicPlan(METRICS_DLQ, 1, Map.of()),
                new TopicPlan(TRIAL_EVENTS_DLQ, 1, Map.of()));
    }

    /** The broker's default replication factor: 1 on a single node, the cluster's choice elsewhere. */
    NewTopic toNewTopic() {
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }
}
