package io.bayesweep.worker;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gives the partitions of {@code bayesweep.trials} to the workers that can use them.
 *
 * <p>A worker owns a trial by holding the partition of its request, and pauses its partitions while it
 * trains. With a plain assignor, requests queued on a busy worker's other partitions would wait while
 * other workers sit idle. Here each worker tells the group, in its subscription, which partition its
 * running trial is on: a busy worker keeps exactly that partition, and every other partition is
 * spread over the idle workers (over everyone when nobody is idle). Workers ask for a rebalance when
 * they become busy or idle.
 *
 * <p>Cooperative: a partition moving between two workers is first revoked (this round) and then
 * assigned (the follow-up round), so a running trial's partition is never revoked to balance load.
 */
public final class BusyAwareAssignor implements ConsumerPartitionAssignor, Configurable {
    /** Consumer-config key whose value is the worker's {@code AtomicReference<TopicPartition>} of its running trial. */
    public static final String BUSY_PARTITION_CONFIG = "bayesweep.busy.partition";

    private AtomicReference<TopicPartition> busyPartition = new AtomicReference<>();

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object state = configs.get(BUSY_PARTITION_CONFIG);
        if (state instanceof AtomicReference<?> reference) {
            busyPartition = (AtomicReference<TopicPartition>) reference;
        }
    }

    @Override
    public String name() {
        return "bayesweep-busy-aware";
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        TopicPartition busy = busyPartition.get();
        String text = busy == null ? "" : busy.topic() + "\n" + busy.partition();
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        // Nothing to remember: the next subscription reads the worker's state afresh.
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> members = new TreeMap<>(groupSubscription.groupSubscription());
        return new GroupAssignment(plan(members, allPartitions(metadata, members)));
    }

    /** The assignment itself, separate from Kafka's plumbing so that it can be tested on its own. */
    static Map<String, Assignment> plan(Map<String, Subscription> members, List<TopicPartition> partitions) {
        Map<TopicPartition, String> currentOwner = new HashMap<>();
        Map<String, TopicPartition> busy = new TreeMap<>();
        members.forEach((member, subscription) -> {
            subscription.ownedPartitions().forEach(p -> currentOwner.putIfAbsent(p, member));
            TopicPartition running = decode(subscription.userData());
            if (running != null && partitions.contains(running)) {
                busy.put(member, running);
            }
        });

        Map<String, List<TopicPartition>> target = new TreeMap<>();
        members.keySet().forEach(m -> target.put(m, new ArrayList<>()));
        Set<TopicPartition> placed = new HashSet<>();
        busy.forEach((member, partition) -> {
            if (placed.add(partition)) {
                target.get(member).add(partition);
            }
        });

        List<String> takers = members.keySet().stream().filter(m -> !busy.containsKey(m)).toList();
        if (takers.isEmpty()) {
            takers = List.copyOf(members.keySet());
        }
        List<TopicPartition> rest = partitions.stream().filter(p -> !placed.contains(p))
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition)).toList();
        int quota = takers.isEmpty() ? 0 : (rest.size() + takers.size() - 1) / takers.size();
        Map<String, Integer> load = new HashMap<>();
        List<TopicPartition> unplaced = new ArrayList<>();
        // Sticky first: a partition stays with its current owner while that owner is a taker under quota.
        for (TopicPartition p : rest) {
            String owner = currentOwner.get(p);
            if (owner != null && takers.contains(owner) && load.getOrDefault(owner, 0) < quota) {
                target.get(owner).add(p);
                load.merge(owner, 1, Integer::sum);
            } else {
                unplaced.add(p);
            }
        }
        for (TopicPartition p : unplaced) {
            String least = takers.stream().min(Comparator.comparingInt((String m) -> load.getOrDefault(m, 0))
                    .thenComparing(m -> m)).orElseThrow();
            target.get(least).add(p);
            load.merge(least, 1, Integer::sum);
        }

        // Cooperative rule: a partition another member still owns is withheld this round; that member
        // revokes it, and the follow-up rebalance hands it over.
        Map<String, Assignment> result = new HashMap<>();
        target.forEach((member, wanted) -> result.put(member, new Assignment(wanted.stream()
                .filter(p -> currentOwner.getOrDefault(p, member).equals(member)).toList())));
        return result;
    }

    private static List<TopicPartition> allPartitions(Cluster metadata, Map<String, Subscription> members) {
        Set<String> topics = new HashSet<>();
        members.values().forEach(s -> topics.addAll(s.topics()));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : metadata.partitionsForTopic(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        return partitions;
    }

    static TopicPartition decode(ByteBuffer userData) {
        if (userData == null || !userData.hasRemaining()) {
            return null;
        }
        byte[] bytes = new byte[userData.remaining()];
        userData.duplicate().get(bytes);
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\n");
        if (parts.length != 2) {
            return null;
        }
        try {
            return new TopicPartition(parts[0], Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
