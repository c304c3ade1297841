package io.bayesweep.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole product on one machine as child processes: the orchestrator (with its embedded Kafka
 * broker and store unless the environment points elsewhere) and N workers. Used by 'server' and
 * 'demo'; children are stopped on {@link #close()} and on JVM shutdown (Ctrl-C).
 */
final class LocalStack implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    static final String ORCHESTRATOR_JAR = "orchestrator/target/quarkus-app/quarkus-run.jar";
    static final String WORKER_JAR = "worker/target/worker-0.1.0-SNAPSHOT.jar";
    private static final int LOG_TAIL_LINES = 20;

    /**
     * @param environment the parent environment, consulted for KAFKA_BOOTSTRAP_SERVERS and
     *                    BAYESWEEP_STORE_JDBC_URL (a parameter so that tests need not set real env vars)
     */
    /** Local worker i serves its Prometheus metrics on this port + i (worker-1 on 9401, worker-2 on 9402, ...). */
    static final int WORKER_METRICS_PORT = 9400;

    record Options(Path home, int workers, int port, int kafkaPort, Path dataDir, Map<String, String> environment) {
        Options {
            home = home.toAbsolutePath().normalize();
            dataDir = dataDir.toAbsolutePath().normalize();
        }

        boolean embeddedKafka() {
            return !isSet(environment, "KAFKA_BOOTSTRAP_SERVERS");
        }

        String bootstrapServers() {
            return embeddedKafka() ? "127.0.0.1:" + kafkaPort : environment.get("KAFKA_BOOTSTRAP_SERVERS");
        }

        private static boolean isSet(Map<String, String> env, String name) {
            String value = env.get(name);
            return value != null && !value.isBlank();
        }

        Path logDir() {
            return dataDir.resolve("logs");
        }

        /** The workers' checkpoints and sample grids; the orchestrator serves the grids from the same folder. */
        Path artifactsDir() {
            return dataDir.resolve("artifacts");
        }

        Path log(String name) {
            return logDir().resolve(name + ".log");
        }
    }

    /** The project home: set by the ./sweep wrapper, else the current directory. */
    static Path home() {
        return Path.of(System.getProperty("bayesweep.home", ".")).toAbsolutePath().normalize();
    }

    private final Options options;
    private final Process orchestrator;
    private final List<Process> workers = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private LocalStack(Options options, Process orchestrator) {
        this.options = options;
        this.orchestrator = orchestrator;
        this.shutdownHook = new Thread(this::stopChildren, "bayesweep-local-stack-stop");
    }

    String url() {
        return "http://localhost:" + options.port();
    }

    Options options() {
        return options;
    }

    /** True once the stack is being stopped, by {@link #close()} or by Ctrl-C. */
    synchronized boolean stopping() {
        return closed;
    }

    Process orchestratorProcess() {
        return orchestrator;
    }

    /** Starts the orchestrator, waits until it is ready, then starts the workers. */
    static LocalStack start(Options options, PrintWriter progress) {
        Path orchestratorJar = options.home().resolve(ORCHESTRATOR_JAR);
        Path workerJar = options.home().resolve(WORKER_JAR);
        for (Path jar : List.of(orchestratorJar, workerJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new CliException("cannot find " + jar + "; build the project first "
                        + "('./mvnw -B package -DskipTests') or point -Dbayesweep.home at it");
            }
        }
        try {
            Files.createDirectories(options.logDir());
            Files.createDirectories(options.artifactsDir());
        } catch (IOException e) {
            throw new CliException("cannot create " + options.logDir() + ": " + e.getMessage());
        }
        progress.println("starting the orchestrator on port " + options.port()
                + (options.embeddedKafka() ? " with embedded Kafka on port " + options.kafkaPort()
                : " with Kafka at " + options.bootstrapServers())
                + " (log: " + options.log("orchestrator") + ")");
        progress.flush();
        Process orchestrator = launch(orchestratorCommand(options), orchestratorEnvironment(options),
                options.log("orchestrator"));
        LocalStack stack = new LocalStack(options, orchestrator);
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.awaitReady();
            for (int i = 1; i <= options.workers(); i++) {
                String id = "worker-" + i;
                stack.workers.add(launch(workerCommand(options), workerEnvironment(options, id, WORKER_METRICS_PORT + i),
                        options.log(id)));
            }
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        progress.println("orchestrator ready at " + stack.url() + "; started " + options.workers() + " worker"
                + (options.workers() == 1 ? "" : "s") + " (logs in " + options.logDir() + ")");
        progress.flush();
        return stack;
    }

    static List<String> orchestratorCommand(Options options) {
        return List.of(java(), "-jar", options.home().resolve(ORCHESTRATOR_JAR).toString());
    }

    static Map<String, String> orchestratorEnvironment(Options options) {
        Map<String, String> env = new LinkedHashMap<>();
        // An external broker (or store) in the environment is passed through untouched.
        if (options.embeddedKafka()) {
            env.put("BAYESWEEP_EMBEDDED_KAFKA_ENABLED", "true");
            env.put("BAYESWEEP_EMBEDDED_KAFKA_PORT", Integer.toString(options.kafkaPort()));
            env.put("KAFKA_BOOTSTRAP_SERVERS", options.bootstrapServers());
        } else {
            env.put("BAYESWEEP_EMBEDDED_KAFKA_ENABLED", "false");
        }
        env.put("QUARKUS_HTTP_PORT", Integer.toString(options.port()));
        env.put("BAYESWEEP_DATA_DIR", options.dataDir().toString());
        // Where the workers write their sample grids, which the orchestrator serves (set, not left to its default,
        // so that a BAYESWEEP_ARTIFACTS_DIR of the parent environment cannot part the two).
        env.put("BAYESWEEP_ARTIFACTS_DIR", options.artifactsDir().toString());
        return env;
    }

    static List<String> workerCommand(Options options) {
        return List.of(java(), "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=1",
                "-Xmx1g", "-jar", options.home().resolve(WORKER_JAR).toString());
    }

    /**
     * @param metricsPort where the worker serves /q/metrics: each local worker needs its own port (worker i gets
     *                    {@link #WORKER_METRICS_PORT} + i); one that is taken leaves that worker without them
     */
    static Map<String, String> workerEnvironment(Options options, String workerId, int metricsPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", options.bootstrapServers());
        env.put("BAYESWEEP_WORKER_ID", workerId);
        env.put("BAYESWEEP_ARTIFACTS_DIR", options.artifactsDir().toString());
        env.put("BAYESWEEP_METRICS_PORT", Integer.toString(metricsPort));
        // Idle OpenMP threads would otherwise spin and steal the CPU from the other trials.
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        return env;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Process launch(List<String> command, Map<String, String> env, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new CliException("cannot start " + String.join(" ", command) + ": " + e.getMessage());
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!orchestrator.isAlive()) {
                throw new CliException("the orchestrator exited with code " + orchestrator.exitValue()
                        + " before it was ready" + logTail(options.log("orchestrator")));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted", 130);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted", 130);
            }
        }
        throw new CliException("the orchestrator was not ready within " + READY_TIMEOUT.toSeconds() + " s ("
                + url() + "/q/health/ready)" + logTail(options.log("orchestrator")));
    }

    /** The last lines of a child's log, indented under the error line. */
    static String logTail(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "; no log at " + log;
        }
        if (lines.isEmpty()) {
            return "; its log " + log + " is empty";
        }
        StringBuilder tail = new StringBuilder("; last lines of " + log + ":");
        for (String line : lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())) {
            tail.append("\n    ").append(line);
        }
        return tail.toString();
    }

    @Override
    public void close() {
        stopChildren();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    private synchronized void stopChildren() {
        if (closed) {
            return;
        }
        closed = true;
        // Workers first, so that they leave the consumer group while the broker is still up.
        stop(workers);
        stop(List.of(orchestrator));
    }

    private static void stop(List<Process> processes) {
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Process process : processes) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
