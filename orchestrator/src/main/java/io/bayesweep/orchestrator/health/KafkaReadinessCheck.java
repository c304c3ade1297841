package io.bayesweep.orchestrator.health;

import io.bayesweep.orchestrator.kafka.KafkaAdmin;
import io.bayesweep.orchestrator.kafka.TopicSetup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.TimeUnit;

/**
 * Ready only while a broker answers and the topics exist. SmallRye adds its own per-channel checks; this one says
 * plainly which broker is unreachable.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    private final KafkaAdmin admin;
    private final TopicSetup topics;

    KafkaReadinessCheck(KafkaAdmin admin, TopicSetup topics) {
        this.admin = admin;
        this.topics = topics;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka").withData("bootstrap.servers", admin.bootstrapServers());
        try {
            int brokers = admin.admin().describeCluster(new DescribeClusterOptions().timeoutMs(3_000))
                    .nodes().get(3, TimeUnit.SECONDS).size();
            return response.withData("brokers", brokers).withData("topics", topics.isDone())
                    .status(brokers > 0 && topics.isDone()).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return response.withData("error", e.toString()).down().build();
        }
    }
}
