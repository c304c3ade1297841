package io.bayesweep.orchestrator.kafka;

import io.bayesweep.messages.Topics;
import io.bayesweep.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the topics that do not exist yet, with their partitions and cleanup policy. */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    private final KafkaAdmin admin;
    private final OrchestratorConfig config;
    private volatile boolean done;
    private volatile int trialPartitions;

    TopicSetup(KafkaAdmin admin, OrchestratorConfig config) {
        this.admin = admin;
        this.config = config;
    }

    public boolean isDone() {
        return done;
    }

    /** The partitions {@code bayesweep.trials} really has, or 0 while the topics are not set up. */
    public int trialPartitions() {
        return trialPartitions;
    }

    /**
     * @return true when every topic exists; false when Kafka did not answer in time (call again later)
     */
    public boolean ensureTopics(Duration timeout) {
        if (done) {
            return true;
        }
        List<TopicPlan> plan = TopicPlan.all(config.trials().partitions());
        Admin client = admin.admin();
        try {
            var result = client.createTopics(plan.stream().map(TopicPlan::toNewTopic).toList());
            for (Map.Entry<String, ? extends java.util.concurrent.Future<Void>> created : result.values().entrySet()) {
                try {
                    created.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.debugf("created topic %s", created.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            warnAboutFewerPartitions(client, plan, timeout);
            done = true;
            return true;
        } catch (TimeoutException | ExecutionException e) {
            LOG.warnf("Kafka topics not ready at %s yet: %s", admin.bootstrapServers(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** An existing topic keeps its partitions: growing them is an operator's decision (it moves keys). */
    private void warnAboutFewerPartitions(Admin client, List<TopicPlan> plan, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, TopicDescription> existing = client.describeTopics(plan.stream().map(TopicPlan::name).toList())
                .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (TopicPlan topic : plan) {
            int actual = existing.get(topic.name()).partitions().size();
            if (topic.name().equals(Topics.TRIALS)) {
                trialPartitions = actual;
            }
            if (actual < topic.partitions()) {
                LOG.warnf("topic %s has %d partitions, %d configured", topic.name(), actual, topic.partitions());
            }
        }
    }
}
