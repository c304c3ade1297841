package io.bayesweep.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs LocalStack and 'demo' against stand-in jars at the real paths: a tiny orchestrator that answers
 * the health check and canned sweep JSON, and workers that only wait. Checks what the children get
 * (environment, logs) and that nothing outlives the stack.
 */
class LocalStackProcessTest {
    static final String FAKE_ORCHESTRATOR = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;
            import java.nio.file.*;
            public class FakeOrchestrator {
                public static void main(String[] args) throws Exception {
                    Path data = Path.of(System.getenv("BAYESWEEP_DATA_DIR"));
                    StringBuilder env = new StringBuilder();
                    for (String k : new String[] {"BAYESWEEP_EMBEDDED_KAFKA_ENABLED", "BAYESWEEP_EMBEDDED_KAFKA_PORT",
                            "KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_HTTP_PORT", "BAYESWEEP_ARTIFACTS_DIR"}) {
                        env.append(k).append('=').append(System.getenv(k)).append('\\n');
                    }
                    Files.writeString(data.resolve("orchestrator.env"), env);
                    String sweep = "{\\"id\\":\\"s9\\",\\"name\\":\\"demo\\",\\"state\\":\\"%s\\",\\"trialsByState\\":{\\"%s\\":2}}";
                    String trials = "[{\\"id\\":\\"a\\",\\"index\\":0,\\"params\\":{\\"kl_weight\\":0},\\"state\\":\\"COMPLETED\\","
                            + "\\"step\\":120,\\"totalSteps\\":120,\\"metrics\\":{\\"fidelity\\":0.8}},"
                            + "{\\"id\\":\\"b\\",\\"index\\":1,\\"params\\":{\\"kl_weight\\":1},\\"state\\":\\"COMPLETED\\",\\"step\\":120,\\"totalSteps\\":120,\\"metrics\\":{\\"fidelity\\":0.7}}]";
                    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1",
                            Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"))), 0);
                    server.createContext("/", exchange -> {
                        String path = exchange.getRequestURI().getPath();
                        int status = 200;
                        String body;
                        if (path.equals("/q/health/ready")) {
                            body = "{\\"status\\":\\"UP\\"}";
                        } else if (path.equals("/api/sweeps") && exchange.getRequestMethod().equals("POST")) {
                            Files.write(data.resolve("submitted.yaml"), exchange.getRequestBody().readAllBytes());
                            status = 201;
                            body = String.format(sweep, "RUNNING", "PENDING");
                        } else if (path.equals("/api/sweeps/s9")) {
                            body = String.format(sweep, "COMPLETED", "COMPLETED");
                        } else if (path.equals("/api/sweeps/s9/trials")) {
                            body = trials;
                        } else {
                            status = 404;
                            body = "{\\"error\\":\\"no\\"}";
                        }
                        byte[] bytes = body.getBytes();
                        exchange.sendResponseHeaders(status, bytes.length);
                        exchange.getResponseBody().write(bytes);
                        exchange.close();
                    });
                    server.start();
                    System.out.println("fake orchestrator listening");
                }
            }
            """;
    static final String FAKE_WORKER = """
            public class FakeWorker {
                public static void main(String[] args) throws Exception {
                    System.out.println("worker " + System.getenv("BAYESWEEP_WORKER_ID") + " kafka "
                            + System.getenv("KAFKA_BOOTSTRAP_SERVERS") + " artifacts " + System.getenv("BAYESWEEP_ARTIFACTS_DIR")
                            + " offline " + System.getProperty("ai.djl.offline"));
                    Thread.sleep(600_000);
                }
            }
            """;

    @TempDir
    Path dir;
    Path home;
    String previousHome;

    @BeforeEach
    void buildFakeJars() throws IOException {
        home = dir.resolve("home");
        jar(home.resolve(LocalStack.ORCHESTRATOR_JAR), "FakeOrchestrator", FAKE_ORCHESTRATOR);
        jar(home.resolve(LocalStack.WORKER_JAR), "FakeWorker", FAKE_WORKER);
        previousHome = System.getProperty("bayesweep.home");
        System.setProperty("bayesweep.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        if (previousHome == null) {
            System.clearProperty("bayesweep.home");
        } else {
            System.setProperty("bayesweep.home", previousHome);
        }
    }

    @Test
    void startsTheOrchestratorThenTheWorkersAndStopsThemAll() throws Exception {
        int[] ports = DemoCommand.freePorts(2);
        Path data = dir.resolve("data");
        LocalStack.Options options = new LocalStack.Options(home, 2, ports[0], ports[1], data, Map.of());
        StringWriter progress = new StringWriter();

        List<ProcessHandle> children;
        try (LocalStack stack = LocalStack.start(options, new PrintWriter(progress, true))) {
            assertThat(stack.url()).isEqualTo("http://localhost:" + ports[0]);
            children = ProcessHandle.current().children().toList();
            assertThat(children).hasSize(3).allMatch(ProcessHandle::isAlive);
            assertThat(Files.readString(data.resolve("orchestrator.env"))).isEqualTo(
                    "BAYESWEEP_EMBEDDED_KAFKA_ENABLED=true\n"
                            + "BAYESWEEP_EMBEDDED_KAFKA_PORT=" + ports[1] + "\n"
                            + "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" + ports[1] + "\n"
                            + "QUARKUS_HTTP_PORT=" + ports[0] + "\n"
                            + "BAYESWEEP_ARTIFACTS_DIR=" + data.resolve("artifacts") + "\n");
            awaitLogLine(data.resolve("logs/worker-2.log"));
            assertThat(Files.readString(data.resolve("logs/worker-2.log"))).startsWith(
                    "worker worker-2 kafka 127.0.0.1:" + ports[1] + " artifacts " + data.resolve("artifacts")
                            + " offline true");
        }
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(progress.toString()).contains("orchestrator ready at http://localhost:" + ports[0]);
    }

    @Test
    void demoSubmitsTheReducedSweepAndPrintsOnlyJsonOnStdout() throws Exception {
        Path sweepFile = Files.writeString(dir.resolve("kl.yaml"), DemoPresetTest.KL_WEIGHT);
        Path data = dir.resolve("demo-data");

        CliRun run = CliRun.of("demo", "--json", "--workers", "1", "--sweep-file", sweepFile.toString(),
                "--data-dir", data.toString(), "--interval", "0.05");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("[").endsWith("]\n");
        assertThat(io.bayesweep.messages.Json.MAPPER.readTree(run.out())).hasSize(2);
        assertThat(run.err()).contains("submitted sweep s9").contains("sweep s9 demo: COMPLETED");
        String submitted = Files.readString(data.resolve("submitted.yaml"));
        assertThat(submitted).contains("steps:\n    value: 120").contains("eval_every:\n    value: 20");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
    }

    private static void awaitLogLine(Path log) throws Exception {
        for (int i = 0; i < 100 && (!Files.exists(log) || Files.size(log) == 0); i++) {
            Thread.sleep(50);
        }
    }

    private void jar(Path jar, String mainClass, String source) throws IOException {
        Path src = dir.resolve("src-" + mainClass);
        Path classes = dir.resolve("classes-" + mainClass);
        Files.createDirectories(src);
        Files.createDirectories(classes);
        Path file = Files.writeString(src.resolve(mainClass + ".java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), file.toString());
        assertThat(rc).as("compiling " + mainClass).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            try (var files = Files.list(classes)) {
                for (Path c : files.toList()) {
                    jarOut.putNextEntry(new JarEntry(c.getFileName().toString()));
                    jarOut.write(Files.readAllBytes(c));
                    jarOut.closeEntry();
                }
            }
        }
    }
}
