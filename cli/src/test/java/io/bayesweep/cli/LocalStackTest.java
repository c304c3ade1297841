package io.bayesweep.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStackTest {
    @TempDir
    Path dir;

    LocalStack.Options options(Map<String, String> env) {
        return new LocalStack.Options(dir.resolve("home"), 2, 18080, 19092, dir.resolve("data"), env);
    }

    @Test
    void embeddedKafkaByDefault() {
        LocalStack.Options options = options(Map.of());

        assertThat(LocalStack.orchestratorEnvironment(options)).containsExactly(
                Map.entry("BAYESWEEP_EMBEDDED_KAFKA_ENABLED", "true"),
                Map.entry("BAYESWEEP_EMBEDDED_KAFKA_PORT", "19092"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
                Map.entry("QUARKUS_HTTP_PORT", "18080"),
                Map.entry("BAYESWEEP_DATA_DIR", dir.resolve("data").toString()),
                Map.entry("BAYESWEEP_ARTIFACTS_DIR", dir.resolve("data/artifacts").toString()));
        assertThat(LocalStack.orchestratorCommand(options)).endsWith(
                "-jar", dir.resolve("home/orchestrator/target/quarkus-app/quarkus-run.jar").toString());
    }

    @Test
    void anExternalBrokerInTheEnvironmentTurnsEmbeddedKafkaOffAndReachesTheWorkers() {
        LocalStack.Options options = options(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

        Map<String, String> env = LocalStack.orchestratorEnvironment(options);
        assertThat(env).containsEntry("BAYESWEEP_EMBEDDED_KAFKA_ENABLED", "false")
                .doesNotContainKeys("KAFKA_BOOTSTRAP_SERVERS", "BAYESWEEP_EMBEDDED_KAFKA_PORT");
        assertThat(LocalStack.workerEnvironment(options, "worker-1", 9401))
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
    }

    @Test
    void workersGetTheirIdArtifactsDirAndDjlOfflineFlags() {
        LocalStack.Options options = options(Map.of());

        assertThat(LocalStack.workerEnvironment(options, "worker-2", 9402)).containsExactly(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
                Map.entry("BAYESWEEP_WORKER_ID", "worker-2"),
                Map.entry("BAYESWEEP_ARTIFACTS_DIR", dir.resolve("data/artifacts").toString()),
                Map.entry("BAYESWEEP_METRICS_PORT", "9402"),
                Map.entry("OMP_WAIT_POLICY", "PASSIVE"));
        assertThat(LocalStack.workerCommand(options)).containsSubsequence(
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=1", "-Xmx1g",
                "-jar", dir.resolve("home/worker/target/worker-0.1.0-SNAPSHOT.jar").toString());
    }

    @Test
    void theOrchestratorServesSampleGridsFromTheWorkersArtifactsDirWhateverTheParentEnvironmentSays() {
        LocalStack.Options options = options(Map.of("BAYESWEEP_ARTIFACTS_DIR", "/elsewhere"));

        assertThat(LocalStack.orchestratorEnvironment(options).get("BAYESWEEP_ARTIFACTS_DIR"))
                .isEqualTo(dir.resolve("data/artifacts").toString())
                .isEqualTo(LocalStack.workerEnvironment(options, "worker-1", 9401).get("BAYESWEEP_ARTIFACTS_DIR"));
    }

    @Test
    void aMissingBuildIsOneClearError() {
        assertThatThrownBy(() -> LocalStack.start(options(Map.of()), new PrintWriter(new StringWriter())))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("cannot find " + dir.resolve("home/orchestrator/target/quarkus-app/quarkus-run.jar"));
    }

    @Test
    void logTailShowsTheLastLinesIndented() throws Exception {
        Path log = dir.resolve("orchestrator.log");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(log, text);

        String tail = LocalStack.logTail(log);

        assertThat(tail).startsWith("; last lines of " + log + ":\n    line 11\n").endsWith("    line 30");
    }

    @Test
    void serverWithoutABuildFailsWithOneLine() {
        String previous = System.getProperty("bayesweep.home");
        System.setProperty("bayesweep.home", dir.toString());
        try {
            CliRun run = CliRun.of("server", "--data-dir", dir.resolve("data").toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).startsWith("sweep: cannot find ");
        } finally {
            if (previous == null) {
                System.clearProperty("bayesweep.home");
            } else {
                System.setProperty("bayesweep.home", previous);
            }
        }
    }

    @Test
    void freePortsAreDistinct() {
        int[] ports = DemoCommand.freePorts(2);

        assertThat(ports[0]).isNotEqualTo(ports[1]).isPositive();
    }
}
