package io.bayesweep.worker;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How one worker process connects and where it keeps trial artifacts.
 *
 * @param artifactsDir    checkpoints and sample grids, one folder per trial; workers that may take
 *                        over each other's trials must share it (a shared volume or an object store)
 * @param checkpointEvery steps between checkpoints: the most work a takeover repeats
 * @param sessionTimeout  how long the group waits for a silent worker before giving its trial to another
 * @param metrics         where the Prometheus metrics are served, and how long finished trials stay in them
 */
public record WorkerConfig(String bootstrapServers, String workerId, String groupId, Path artifactsDir,
                           int checkpointEvery, Duration sessionTimeout, MetricsConfig metrics) {

    public static final String DEFAULT_GROUP = "bayesweep-workers";

    /** A worker whose metrics are kept but not served over HTTP (embedded workers, tests). */
    public WorkerConfig(String bootstrapServers, String workerId, String groupId, Path artifactsDir,
                        int checkpointEvery, Duration sessionTimeout) {
        this(bootstrapServers, workerId, groupId, artifactsDir, checkpointEvery, sessionTimeout,
                MetricsConfig.notServed());
    }

    /** Reads the worker's settings from environment variables (documented in docs/operations.md). */
    public static WorkerConfig fromEnvironment(Map<String, String> env) {
        String defaultId = "worker-" + ManagementFactory.getRuntimeMXBean().getName().replace('@', '-');
        return new WorkerConfig(
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.getOrDefault("BAYESWEEP_WORKER_ID", defaultId),
                env.getOrDefault("BAYESWEEP_WORKER_GROUP", DEFAULT_GROUP),
                Path.of(env.getOrDefault("BAYESWEEP_ARTIFACTS_DIR", "data/artifacts")),
                positiveInt(env, "BAYESWEEP_CHECKPOINT_EVERY", 50),
                Duration.ofSeconds(positiveInt(env, "BAYESWEEP_SESSION_TIMEOUT_SECONDS", 30)),
                MetricsConfig.fromEnvironment(env));
    }

    private static int positiveInt(Map<String, String> env, String name, int fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + text + " is not a positive integer");
    }
}
