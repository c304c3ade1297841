package io.bayesweep.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The {@code bayesweep.*} settings; each can be set by environment variable (BAYESWEEP_STORE_JDBC_URL, ...). */
@ConfigMapping(prefix = "bayesweep")
public interface OrchestratorConfig {

    /** Where the embedded defaults keep their files: the H2 store and the embedded broker's log. */
    @WithDefault("./data")
    Path dataDir();

    Store store();

    EmbeddedKafka embeddedKafka();

    Trials trials();

    Outbox outbox();

    Ingest ingest();

    Artifacts artifacts();

    Metrics metrics();

    interface Store {
        /** Empty: an embedded H2 database under {@code <data-dir>/store}, in PostgreSQL mode. */
        Optional<String> jdbcUrl();

        Optional<String> username();

        Optional<String> password();

        @WithDefault("10")
        int maxConnections();
    }

    interface EmbeddedKafka {
        /** Runs a Kafka broker inside the orchestrator, for the one-command default. */
        @WithDefault("false")
        boolean enabled();

        /** Must match {@code kafka.bootstrap.servers}, which the default configuration derives from it. */
        @WithDefault("9092")
        int port();
    }

    interface Trials {
        /** Partitions of bayesweep.trials: the most workers that can run trials at once. */
        @WithDefault("12")
        int partitions();
    }

    interface Outbox {
        /** How often unacknowledged trial requests, STOP commands and corruption alerts are sent again. */
        @WithDefault("5s")
        Duration interval();

        /** How old an unacknowledged trial request or corruption alert must be before it is sent again. */
        @WithDefault("10s")
        Duration grace();

        /** After this long without an acknowledgement or failure, a send counts as lost. */
        @WithDefault("5m")
        Duration inFlightExpiry();
    }

    interface Artifacts {
        /**
         * The workers' artifact store (BAYESWEEP_ARTIFACTS_DIR, the variable the workers read), from which the
         * sample grids are served; empty: {@code <data-dir>/artifacts}, where the workers of 'sweep server' write.
         */
        Optional<Path> dir();
    }

    interface Metrics {
        /**
         * How long a finished trial keeps its {@code bayesweep_trial_*} series (and a finished sweep its
         * {@code bayesweep_trials} series) before they are removed, so that a last scrape sees how it ended.
         */
        @WithDefault("10m")
        Duration finishedGrace();

        /** How often the sweeps' trial counts are read from the store and expired series removed. */
        @WithDefault("15s")
        Duration refreshInterval();
    }

    interface Ingest {
        /** How long a consumer retries a record while the store is unreachable before it dead-letters it. */
        @WithDefault("5m")
        Duration storeRetry();
    }
}
