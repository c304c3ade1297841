package io.bayesweep.orchestrator.testing;

import io.bayesweep.messages.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The trial-request topic as the end-to-end tests' worker groups see it. */
public final class TrialRequests {
    private TrialRequests() {
    }

    /**
     * Commits the topic's current end offsets for {@code groupId}, so a worker group started afterwards takes only
     * the trial requests published from now on: trials requested before (by other test classes, or trials a test
     * plays the worker for itself) stay untouched.
     */
    public static void skipPublishedBefore(String bootstrapServers, String groupId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var partitions = admin.describeTopics(List.of(Topics.TRIALS)).allTopicNames().get().get(Topics.TRIALS)
                    .partitions().stream().map(p -> new TopicPartition(Topics.TRIALS, p.partition())).toList();
            var ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
            admin.alterConsumerGroupOffsets(groupId, ends.entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())))).all().get();
        }
    }
}
