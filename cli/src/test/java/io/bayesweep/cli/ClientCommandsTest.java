package io.bayesweep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayesweep.messages.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientCommandsTest {
    static final String RUNNING_SWEEP = """
            {"id":"s1","name":"kl-weight","description":"KL weight sweep","method":"grid","state":"RUNNING",
             "createdAt":"2026-11-28T07:00:00.123456Z","finishedAt":null,"metric":{"name":"fidelity","goal":"maximize"},
             "trialsByState":{"COMPLETED":1,"RUNNING":1,"FAILED":1},"someFutureField":true}""";
    static final String COMPLETED_SWEEP = RUNNING_SWEEP.replace("\"state\":\"RUNNING\"", "\"state\":\"COMPLETED\"")
            .replace("\"RUNNING\":1", "\"COMPLETED_LATE\":0");
    static final String TRIALS = """
            [{"id":"t1","sweepId":"s1","index":1,"params":{"kl_weight":0.1,"optim":{"lr":0.0001}},"state":"RUNNING",
              "attempt":1,"step":60,"totalSteps":120,"worker":"worker-2","reason":null,
              "metrics":{"loss":0.04123,"fidelity":0.81234,"noise":0.015,"kl":12.5},"createdAt":"2026-11-28T07:00:00Z",
              "detection":{"detector":"v1","state":"CORRUPTED","windows":[{"onset":40,"end":null,"depth":0.2,"duration":20}],
                           "points":6,"lastStep":60}},
             {"id":"t0","sweepId":"s1","index":0,"params":{"kl_weight":0.0,"optim":{"lr":0.0001}},"state":"COMPLETED",
              "attempt":2,"step":120,"totalSteps":120,"worker":"worker-1","reason":null,
              "metrics":{"noise":0.02,"fidelity":0.7,"loss":0.05,"diversity":0.3,"memorization":0.12},"extra":1,
              "detection":{"detector":"v1","state":"RECOVERING","windows":[{"onset":30,"end":60,"depth":0.1234,"duration":30}],
                           "points":12,"lastStep":120,"futureField":true}},
             {"id":"t2","sweepId":"s1","index":2,"params":{"kl_weight":1.0,"optim":{"lr":0.0001}},"state":"FAILED",
              "attempt":1,"step":0,"totalSteps":120,"worker":null,"reason":"out of memory","metrics":{}}]""";

    FakeOrchestrator orchestrator;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        orchestrator = new FakeOrchestrator();
    }

    @AfterEach
    void stop() {
        orchestrator.close();
    }

    CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = orchestrator.url();
        return CliRun.of(all);
    }

    @Test
    void listShowsOneRowPerSweep() {
        orchestrator.on("GET", "/api/sweeps", 200, "[" + RUNNING_SWEEP + "]");

        CliRun run = run("list");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly(
                "ID  NAME       STATE    TRIALS  CREATED",
                "s1  kl-weight  RUNNING     2/3  2026-11-28T07:00:00Z");
    }

    @Test
    void listOfNoSweepsIsJustTheHeader() {
        orchestrator.on("GET", "/api/sweeps", 200, "[]");

        assertThat(run("list").outLines()).containsExactly("ID  NAME  STATE  TRIALS  CREATED");
    }

    @Test
    void statusShowsTheSummaryAndATrialTableInIndexOrder() {
        orchestrator.on("GET", "/api/sweeps/s1", 200, RUNNING_SWEEP)
                .on("GET", "/api/sweeps/s1/trials", 200, TRIALS);

        CliRun run = run("status", "s1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly(
                "sweep     s1 (kl-weight)",
                "          KL weight sweep",
                "state     RUNNING",
                "method    grid",
                "metric    fidelity (maximize)",
                "created   2026-11-28T07:00:00Z",
                "trials    2/3 done (1 COMPLETED, 1 FAILED, 1 RUNNING)",
                "",
                "#  TRIAL  STATE         STEP  ATTEMPT  WORKER    REASON",
                "0  t0     COMPLETED  120/120        2  worker-1",
                "1  t1     RUNNING     60/120        1  worker-2",
                "2  t2     FAILED       0/120        1  -         out of memory");
    }

    @Test
    void resultsTableHasParamsStateAndMetricsInTheDocumentedOrder() {
        orchestrator.on("GET", "/api/sweeps/s1/trials", 200, TRIALS);

        CliRun run = run("results", "s1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly(
                "TRIAL  kl_weight  optim.lr  STATE      STAGE       WINDOWS     loss  fidelity  noise  diversity  memorization    kl",
                "t0             0    0.0001  COMPLETED  RECOVERING        1     0.05       0.7   0.02        0.3          0.12     -",
                "t1           0.1    0.0001  RUNNING    CORRUPTED         1  0.04123    0.8123  0.015          -             -  12.5",
                "t2             1    0.0001  FAILED     -                 -        -         -      -          -             -     -");
    }

    @Test
    void resultsJsonIsAnArrayOfTrialIdParamsStateMetrics() throws IOException {
        orchestrator.on("GET", "/api/sweeps/s1/trials", 200, TRIALS);

        CliRun run = run("results", "s1", "--format", "json");

        assertThat(run.exitCode()).isZero();
        JsonNode results = Json.MAPPER.readTree(run.out());
        assertThat(results.isArray()).isTrue();
        assertThat(results).hasSize(3);
        JsonNode first = results.get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("trialId", "params", "state", "detection", "metrics");
        assertThat(first.get("trialId").asText()).isEqualTo("t0");
        assertThat(first.get("params").get("optim").get("lr").asDouble()).isEqualTo(1e-4);
        assertThat(first.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(first.get("metrics").get("fidelity").asDouble()).isEqualTo(0.7);
        assertThat(results.get(2).get("metrics").size()).isZero();
        JsonNode detection = first.get("detection");
        assertThat(detection.get("detector").asText()).isEqualTo("v1");
        assertThat(detection.get("state").asText()).isEqualTo("RECOVERING");
        assertThat(detection.get("windows").get(0).get("onset").asLong()).isEqualTo(30);
        assertThat(detection.get("windows").get(0).get("end").asLong()).isEqualTo(60);
        assertThat(detection.get("windows").get(0).get("depth").asDouble()).isEqualTo(0.1234);
        assertThat(results.get(1).get("detection").get("windows").get(0).get("end").isNull()).isTrue();
        assertThat(results.get(2).get("detection").isNull()).isTrue();
    }

    @Test
    void resultsCsvHasAHeaderAndOneRowPerTrial() {
        orchestrator.on("GET", "/api/sweeps/s1/trials", 200, TRIALS);

        CliRun run = run("results", "s1", "--format", "csv");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly(
                "trial_id,kl_weight,optim.lr,state,stage,windows,loss,fidelity,noise,diversity,memorization,kl",
                "t0,0.0,1.0E-4,COMPLETED,RECOVERING,1,0.05,0.7,0.02,0.3,0.12,",
                "t1,0.1,1.0E-4,RUNNING,CORRUPTED,1,0.04123,0.81234,0.015,,,12.5",
                "t2,1.0,1.0E-4,FAILED,,,,,,,,");
    }

    @Test
    void cancelPostsAndPrintsTheNewState() {
        orchestrator.on("POST", "/api/sweeps/s1/cancel", 200,
                RUNNING_SWEEP.replace("\"state\":\"RUNNING\"", "\"state\":\"CANCELLED\""));

        CliRun run = run("cancel", "s1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly("sweep s1: CANCELLED (2/3 trials done)");
        assertThat(orchestrator.requests).extracting(FakeOrchestrator.Request::method).containsExactly("POST");
    }

    @Test
    void cancelOfAFinishedSweepIsOneErrorLine() {
        orchestrator.on("POST", "/api/sweeps/s1/cancel", 409, "{\"error\":\"sweep s1 is already COMPLETED\"}");

        CliRun run = run("cancel", "s1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("sweep: 409: sweep s1 is already COMPLETED");
    }

    @Test
    void notFoundIsOneErrorLineWithTheMessageFromTheBody() {
        orchestrator.on("GET", "/api/sweeps/nope", 404, "{\"error\":\"no sweep nope\"}");

        CliRun run = run("status", "nope");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("sweep: 404: no sweep nope");
    }

    @Test
    void badRequestWithAnErrorsListIsOneErrorLine() {
        orchestrator.on("GET", "/api/sweeps/s1/trials", 400,
                "{\"errors\":[{\"path\":\"format\",\"message\":\"unknown\"},{\"path\":\"\",\"message\":\"bad\"}]}");

        CliRun run = run("results", "s1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("sweep: 400: format: unknown; bad");
    }

    @Test
    void serverErrorWithoutJsonShowsTheFirstLineOfTheBody() {
        orchestrator.on("GET", "/api/sweeps", 500, "Internal Server Error\n<html>...");

        CliRun run = run("list");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("sweep: 500: Internal Server Error");
    }

    @Test
    void anEmptyErrorBodyStillSaysWhat() {
        orchestrator.on("GET", "/api/sweeps/gone", 404, "");

        CliRun run = run("status", "gone");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("sweep: 404: not found");
    }

    @Test
    void connectionRefusedIsOneLineWithoutAStackTrace() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        CliRun run = CliRun.of("list", "--url", url);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("sweep: cannot reach the orchestrator at " + url
                + " (connection refused); start it with 'sweep server' or set --url/BAYESWEEP_URL");
    }

    @Test
    void invalidUrlIsOneErrorLine() {
        CliRun run = CliRun.of("list", "--url", "localhost:8080");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).startsWith("sweep: invalid orchestrator URL 'localhost:8080'");
    }

    @Test
    void submitPostsTheYamlTextWithTheSeedAndPrintsTheSweep() throws IOException {
        Path file = Files.writeString(dir.resolve("grid.yaml"), ValidateCommandTest.GRID);
        orchestrator.on("POST", "/api/sweeps", 201,
                RUNNING_SWEEP.replace("{\"COMPLETED\":1,\"RUNNING\":1,\"FAILED\":1}", "{\"PENDING\":6}"));

        CliRun run = run("submit", file.toString(), "--seed", "7");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly("submitted sweep s1 (6 trials)");
        FakeOrchestrator.Request request = orchestrator.requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isEqualTo("seed=7");
        assertThat(request.contentType()).isEqualTo("application/yaml");
        assertThat(request.body()).isEqualTo(ValidateCommandTest.GRID);
    }

    @Test
    void submitOfAnInvalidFileSendsNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), ValidateCommandTest.UNKNOWN_PARAMETER);

        CliRun run = run("submit", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(CliRun.of("validate", file.toString()).err());
        assertThat(orchestrator.requests).isEmpty();
    }

    @Test
    void submitRejectedByTheServerIsReportedAsValidateDoes() throws IOException {
        Path file = Files.writeString(dir.resolve("grid.yaml"), ValidateCommandTest.GRID);
        orchestrator.on("POST", "/api/sweeps", 400,
                "{\"errors\":[{\"path\":\"parameters.kl_weight\",\"message\":\"too many values\"}]}");

        CliRun run = run("submit", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(file + ": parameters.kl_weight: too many values");
    }

    @Test
    void watchPrintsOnlyChangedLinesWhenNotATerminalAndEndsWithTheResults() {
        String runningTrials = TRIALS;
        String doneTrials = TRIALS.replace("\"state\":\"RUNNING\"", "\"state\":\"COMPLETED\"")
                .replace("\"step\":60", "\"step\":120");
        orchestrator.on("GET", "/api/sweeps/s1", 200, RUNNING_SWEEP, RUNNING_SWEEP, COMPLETED_SWEEP)
                .on("GET", "/api/sweeps/s1/trials", 200, runningTrials, runningTrials, doneTrials);

        CliRun run = run("watch", "s1", "--interval", "0.01");

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines.get(0)).isEqualTo("sweep s1 kl-weight: RUNNING, 2/3 trials done");
        assertThat(lines.get(1)).isEqualTo(
                "0  t0  [####################] 120/120  COMPLETED      stage RECOVERING  loss 0.05       fidelity 0.7        noise 0.02");
        assertThat(lines.get(2)).isEqualTo(
                "1  t1  [##########..........]  60/120  RUNNING        stage CORRUPTED   loss 0.04123    fidelity 0.8123     noise 0.015      worker-2");
        assertThat(lines.get(3)).isEqualTo(
                "2  t2  [....................]   0/120  FAILED         (out of memory)");
        // the second poll changed nothing: nothing printed; the third finished t1
        assertThat(lines.get(4)).startsWith("sweep s1 kl-weight: COMPLETED");
        assertThat(lines.get(5)).startsWith("1  t1  [####################] 120/120  COMPLETED");
        assertThat(lines.get(6)).isEmpty();
        assertThat(lines.get(7)).startsWith("TRIAL  kl_weight");
        assertThat(lines).hasSize(11);
        assertThat(run.out()).doesNotContain("\u001b[");
    }

    @Test
    void watcherRedrawsInPlaceOnATerminal() {
        orchestrator.on("GET", "/api/sweeps/s1", 200, RUNNING_SWEEP, COMPLETED_SWEEP)
                .on("GET", "/api/sweeps/s1/trials", 200, TRIALS);
        java.io.StringWriter screen = new java.io.StringWriter();
        SweepWatcher watcher = new SweepWatcher(new OrchestratorClient(orchestrator.url()),
                new java.io.PrintWriter(screen), true, java.time.Duration.ZERO, d -> { });

        watcher.watch("s1");

        // 4 lines (header + 3 trials) drawn, then the cursor goes up 4 lines to redraw them
        assertThat(screen.toString()).contains("\u001b[4A").contains("\u001b[2K");
        assertThat(screen.toString().split("\u001b\\[4A", -1)).hasSize(2);
    }
}
