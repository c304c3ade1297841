package io.bayesweep.orchestrator.kafka;

import io.bayesweep.kafka.EmbeddedKafkaBroker;
import io.bayesweep.orchestrator.config.OrchestratorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * The broker of the one-command default ({@code bayesweep.embedded-kafka.enabled=true}), in
 * {@code <data-dir>/kafka}.
 */
@Singleton // not application-scoped: it must outlive the application context, see stop()
public class EmbeddedKafka {

    /** Before SmallRye Messaging (LIBRARY_BEFORE) connects its clients. */
    static final int STARTUP_PRIORITY = Interceptor.Priority.PLATFORM_BEFORE;

    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);

    private final OrchestratorConfig config;
    private volatile EmbeddedKafkaBroker broker;

    EmbeddedKafka(OrchestratorConfig config) {
        this.config = config;
    }

    void start(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        if (!config.embeddedKafka().enabled()) {
            return;
        }
        var logDir = config.dataDir().resolve("kafka").toAbsolutePath();
        broker = EmbeddedKafkaBroker.start(logDir, config.embeddedKafka().port());
        LOG.infof("embedded Kafka broker on %s, log in %s", broker.bootstrapServers(), logDir);
    }

    /**
     * After the application context is gone, so after SmallRye closed its consumers and producers: stopping the
     * broker on ShutdownEvent would leave them failing commits until they time out.
     */
    void stop(@Observes @Destroyed(ApplicationScoped.class) Object event) {
        EmbeddedKafkaBroker running = broker;
        broker = null;
        if (running != null) {
            running.close();
        }
    }

    public boolean isRunning() {
        return broker != null;
    }
}
