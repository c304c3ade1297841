package io.bayesweep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayesweep.messages.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DetectCommandTest {
    @TempDir
    Path dir;

    FakeOrchestrator orchestrator;

    @BeforeEach
    void start() throws IOException {
        orchestrator = new FakeOrchestrator();
    }

    @AfterEach
    void stop() {
        orchestrator.close();
    }

    /** 30 eval points on a plateau with a 3-point corruption dip at steps 210-230 (back at 240). */
    static String dipCsv(int points) {
        StringBuilder csv = new StringBuilder("step,fidelity,noise,memorization\n");
        for (int i = 0; i < points; i++) {
            boolean dip = i >= 20 && i < 23;
            double wobble = ((i * 7) % 5 - 2) / 2.0;
            csv.append(String.format(Locale.ROOT, "%d,%.4f,%.5f,%s\n", (i + 1) * 10,
                    dip ? 0.55 : 0.8 + 0.005 * wobble, dip ? 0.09 : 0.03 * (1 + 0.03 * wobble), i == 3 ? "" : "0.15"));
        }
        return csv.toString();
    }

    Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aTraceWithADipPrintsItsWindowAsJson() throws IOException {
        Path file = write("run.csv", dipCsv(30));

        CliRun run = CliRun.of("detect", "--trace", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).hasSize(1);
        JsonNode json = Json.MAPPER.readTree(run.out());
        assertThat(json.get("detector").asText()).isEqualTo("v3");
        assertThat(json.get("state").asText()).isEqualTo("RECOVERING");
        assertThat(json.get("windows")).hasSize(1);
        JsonNode window = json.get("windows").get(0);
        assertThat(window.get("onset").asLong()).isEqualTo(210);
        assertThat(window.get("end").asLong()).isEqualTo(240);
        assertThat(window.get("duration").asLong()).isEqualTo(30);
        assertThat(window.get("depth").asDouble()).isBetween(0.24, 0.26);
        assertThat(json.get("points").asInt()).isEqualTo(30);
        assertThat(run.out()).startsWith("{\"detector\":\"v3\",\"state\":\"RECOVERING\",\"windows\":[{\"onset\":210,\"end\":240,\"depth\":");
    }

    /** A collapse at the 2nd eval point: fidelity 0.5 -> 0.2, noise x4 on points 2-3, back from point 4. */
    static String earlyCollapseCsv() {
        StringBuilder csv = new StringBuilder("step,fidelity,noise\n");
        for (int i = 0; i < 20; i++) {
            boolean bad = i == 1 || i == 2;
            csv.append(String.format(Locale.ROOT, "%d,%.4f,%.5f\n", (i + 1) * 10,
                    bad ? 0.2 : Math.min(0.8, 0.5 + 0.05 * i), bad ? 0.12 : 0.03));
        }
        return csv.toString();
    }

    @Test
    void theDetectorVersionCanBePicked() throws IOException {
        Path file = write("early.csv", earlyCollapseCsv());

        CliRun v3 = CliRun.of("detect", "--trace", file.toString());
        CliRun v3Named = CliRun.of("detect", "--trace", file.toString(), "--detector", "v3");
        CliRun v2 = CliRun.of("detect", "--trace", file.toString(), "--detector", "v2");
        CliRun v1 = CliRun.of("detect", "--trace", file.toString(), "--detector", "v1");

        assertThat(v3.exitCode()).as(v3.err()).isZero();
        assertThat(v3Named.out()).isEqualTo(v3.out());
        JsonNode json = Json.MAPPER.readTree(v3.out());
        assertThat(json.get("detector").asText()).isEqualTo("v3");
        assertThat(json.get("windows")).singleElement().satisfies(w -> {
            assertThat(w.get("onset").asLong()).isEqualTo(20);
            assertThat(w.get("end").asLong()).isEqualTo(40);
        });
        // the subject is there from the first point (fidelity 0.5): v2 gives the same windows
        JsonNode second = Json.MAPPER.readTree(v2.out());
        assertThat(second.get("detector").asText()).isEqualTo("v2");
        assertThat(second.get("windows")).isEqualTo(json.get("windows"));
        // v1 opens no window during its 5-point warm-up
        assertThat(v1.exitCode()).as(v1.err()).isZero();
        JsonNode old = Json.MAPPER.readTree(v1.out());
        assertThat(old.get("detector").asText()).isEqualTo("v1");
        assertThat(old.get("windows")).isEmpty();
    }

    @Test
    void anUnknownDetectorVersionIsExit2() throws IOException {
        Path file = write("run.csv", dipCsv(30));

        CliRun run = CliRun.of("detect", "--trace", file.toString(), "--detector", "v9");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("sweep: unknown detector version 'v9' (known: v1, v2, v3)");
    }

    @Test
    void aTraceThatStopsInsideTheDipHasAnOpenWindow() throws IOException {
        Path file = write("stopped.csv", dipCsv(23));

        CliRun run = CliRun.of("detect", "--trace", file.toString());

        assertThat(run.exitCode()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.out());
        assertThat(json.get("state").asText()).isEqualTo("CORRUPTED");
        assertThat(json.get("windows").get(0).get("end").isNull()).isTrue();
        assertThat(json.get("windows").get(0).get("duration").asLong()).isEqualTo(20);
    }

    @Test
    void aCleanTraceHasNoWindow() throws IOException {
        Path file = write("clean.csv", dipCsv(20));

        CliRun run = CliRun.of("detect", "--trace", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(Json.MAPPER.readTree(run.out()).get("windows")).isEmpty();
    }

    @Test
    void aMalformedTraceIsOneLineAndExit2() throws IOException {
        Path file = write("bad.csv", "step,fidelity,noise\n10,0.5,0.02\n20,high,0.02\n");

        CliRun run = CliRun.of("detect", "--trace", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("sweep: " + file + ": line 3, column 'fidelity': not a number: 'high'");
    }

    @Test
    void aMissingColumnOrFileIsExit2() throws IOException {
        Path noNoise = write("no-noise.csv", "step,fidelity\n10,0.5\n");

        CliRun missingColumn = CliRun.of("detect", "--trace", noNoise.toString());
        CliRun missingFile = CliRun.of("detect", "--trace", dir.resolve("nope.csv").toString());

        assertThat(missingColumn.exitCode()).isEqualTo(2);
        assertThat(missingColumn.errLines()).singleElement().asString()
                .startsWith("sweep: " + noNoise + ": line 1: missing required column 'noise'");
        assertThat(missingFile.exitCode()).isEqualTo(2);
        assertThat(missingFile.errLines()).containsExactly("sweep: " + dir.resolve("nope.csv") + ": cannot read: no such file");
    }

    @Test
    void exactlyOneSourceIsNeeded() throws IOException {
        Path file = write("run.csv", dipCsv(30));

        for (CliRun run : new CliRun[] {CliRun.of("detect"), CliRun.of("detect", "t1", "--trace", file.toString()),
                CliRun.of("detect", "--trace", file.toString(), "--evaluate", dir.toString())}) {
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.errLines()).containsExactly(
                    "sweep: detect needs exactly one of TRIAL, --trace FILE or --evaluate DIR");
        }
    }

    @Test
    void aTrialIsReplayedFromItsStoredMetrics() throws IOException {
        StringBuilder body = new StringBuilder("[");
        String[] lines = dipCsv(30).split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            body.append(i > 1 ? "," : "").append("{\"step\":").append(cells[0]).append(",\"attempt\":1,\"worker\":\"w1\",")
                    .append("\"metrics\":{\"fidelity\":").append(cells[1]).append(",\"noise\":").append(cells[2])
                    .append(",\"loss\":0.05}}");
        }
        body.append("]");
        orchestrator.on("GET", "/api/trials/sw-1-t000/metrics", 200, body.toString());
        Path file = write("run.csv", dipCsv(30));

        CliRun replay = CliRun.of("detect", "sw-1-t000", "--url", orchestrator.url());
        CliRun offline = CliRun.of("detect", "--trace", file.toString());

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(replay.out());
        assertThat(json.get("trial").asText()).isEqualTo("sw-1-t000");
        JsonNode offlineJson = Json.MAPPER.readTree(offline.out());
        assertThat(json.get("windows")).isEqualTo(offlineJson.get("windows"));
        assertThat(json.get("state")).isEqualTo(offlineJson.get("state"));
        assertThat(orchestrator.requests).extracting(FakeOrchestrator.Request::path)
                .containsExactly("/api/trials/sw-1-t000/metrics");
    }

    @Test
    void anUnknownTrialIsTheOrchestratorsError() {
        orchestrator.on("GET", "/api/trials/nope/metrics", 404,
                "{\"errors\":[{\"path\":null,\"message\":\"trial nope not found\"}]}");

        CliRun run = CliRun.of("detect", "nope", "--url", orchestrator.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("sweep: 404: trial nope not found");
    }

    @Test
    void evaluatePrintsTheScores() throws IOException {
        write("dip.csv", dipCsv(30));
        write("clean.csv", dipCsv(20));
        write("labels.json", """
                {"traces": {"dip.csv": {"kind": "dip", "windows": [{"onset": 210, "end": 240}]},
                            "clean.csv": {"kind": "clean", "windows": []}}}
                """);

        CliRun run = CliRun.of("detect", "--evaluate", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).contains("precision 1.000  recall 1.000  F1 1.000",
                "onset delay (eval steps, detected onset - labelled onset): median 0, max 0 over 1 found windows",
                "false alarms: 0 windows on 0 of 1 traces without a labelled window (clean 0 on 1)");
        assertThat(run.outLines().get(0)).isEqualTo("detector v3 on 2 traces in " + dir + " (1 labelled windows)");
        CliRun v1 = CliRun.of("detect", "--evaluate", dir.toString(), "--detector", "v1");
        assertThat(v1.outLines().get(0)).isEqualTo("detector v1 on 2 traces in " + dir + " (1 labelled windows)");
    }

    @Test
    void evaluateNeedsADirectoryWithLabels() throws IOException {
        CliRun missing = CliRun.of("detect", "--evaluate", dir.resolve("nope").toString());
        CliRun noLabels = CliRun.of("detect", "--evaluate", dir.toString());

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.errLines()).containsExactly("sweep: " + dir.resolve("nope") + ": cannot read: no such directory");
        assertThat(noLabels.exitCode()).isEqualTo(2);
        assertThat(noLabels.errLines()).singleElement().asString().contains("labels.json");
    }

    @Test
    void theCommittedSyntheticSetMeetsTheTargets() {
        Path synthetic = Path.of("../core/src/test/resources/traces/synthetic");
        assumeTrue(Files.isDirectory(synthetic), "run from the cli module of a checkout");

        for (String version : new String[] {"v1", "v2", "v3"}) {
            CliRun run = CliRun.of("detect", "--evaluate", synthetic.toString(), "--detector", version);

            assertThat(run.exitCode()).isZero();
            assertThat(run.outLines()).anySatisfy(l -> assertThat(l).startsWith("precision").contains("F1 1.000"));
        }
    }
}
