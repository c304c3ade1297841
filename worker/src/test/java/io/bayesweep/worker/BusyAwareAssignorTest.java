package io.bayesweep.worker;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BusyAwareAssignorTest {
    private static final List<TopicPartition> SIX = IntStream.range(0, 6).mapToObj(i -> new TopicPartition("t", i)).toList();

    @Test
    void idleMembersShareEveryPartitionEvenly() {
        var plan = BusyAwareAssignor.plan(members(Map.of("a", idle(), "b", idle())), SIX);
        assertThat(partitions(plan, "a")).hasSize(3);
        assertThat(partitions(plan, "b")).hasSize(3).doesNotContainAnyElementsOf(partitions(plan, "a"));
    }

    @Test
    void aBusyMemberKeepsOnlyItsTrialsPartitionAndTheRestGoesToIdleMembers() {
        // a owned 0..2 and is now busy on 1; b owned 3..5 and is idle.
        var plan = BusyAwareAssignor.plan(members(Map.of(
                "a", busy(1, 0, 1, 2), "b", idle(3, 4, 5))), SIX);
        assertThat(partitions(plan, "a")).containsExactly(p(1));
        // 0 and 2 are still a's: withheld this round (cooperative), then b's in the follow-up round.
        assertThat(partitions(plan, "b")).containsExactlyInAnyOrder(p(3), p(4), p(5));
        var followUp = BusyAwareAssignor.plan(members(Map.of("a", busy(1, 1), "b", idle(3, 4, 5))), SIX);
        assertThat(partitions(followUp, "b")).containsExactlyInAnyOrder(p(0), p(2), p(3), p(4), p(5));
    }

    @Test
    void aRunningTrialsPartitionNeverMovesWhenAWorkerJoins() {
        var plan = BusyAwareAssignor.plan(members(Map.of(
                "a", busy(4, 0, 1, 2, 3, 4, 5), "new", idle())), SIX);
        assertThat(partitions(plan, "a")).containsExactly(p(4));
        assertThat(partitions(plan, "new")).isEmpty(); // the others are revoked from a first
    }

    @Test
    void whenEveryoneIsBusyTheRestIsSpreadOverAll() {
        var plan = BusyAwareAssignor.plan(members(Map.of("a", busy(0, 0, 1, 2), "b", busy(3, 3, 4, 5))), SIX);
        assertThat(partitions(plan, "a")).contains(p(0)).hasSize(3);
        assertThat(partitions(plan, "b")).contains(p(3)).hasSize(3);
    }

    private static TopicPartition p(int i) {
        return new TopicPartition("t", i);
    }

    private static Subscription idle(int... owned) {
        return new Subscription(List.of("t"), ByteBuffer.allocate(0), owned(owned));
    }

    private static Subscription busy(int running, int... owned) {
        return new Subscription(List.of("t"), ByteBuffer.wrap(("t\n" + running).getBytes(StandardCharsets.UTF_8)),
                owned(owned));
    }

    private static List<TopicPartition> owned(int... owned) {
        return IntStream.of(owned).mapToObj(BusyAwareAssignorTest::p).toList();
    }

    private static Map<String, Subscription> members(Map<String, Subscription> m) {
        return new TreeMap<>(m);
    }

    private static List<TopicPartition> partitions(Map<String, Assignment> plan, String member) {
        return plan.get(member).partitions();
    }
}
