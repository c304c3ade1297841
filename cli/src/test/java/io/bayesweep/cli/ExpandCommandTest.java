package io.bayesweep.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.bayesweep.messages.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ExpandCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonIsAnArrayWithOneObjectPerTrial() throws IOException {
        Path file = Files.writeString(dir.resolve("grid.yaml"), ValidateCommandTest.GRID);

        CliRun run = CliRun.of("expand", file.toString(), "--format", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        List<Map<String, Object>> trials = Json.MAPPER.readValue(run.out(), new TypeReference<>() { });
        assertThat(trials).hasSize(6).allSatisfy(t -> assertThat(t).containsKeys("kl_weight", "prior_std"));
        assertThat(trials)
                .extracting(t -> ((Number) t.get("kl_weight")).doubleValue(), t -> ((Number) t.get("prior_std")).doubleValue())
                .containsExactlyInAnyOrder(
                        tuple(0.0, 0.01), tuple(0.0, 0.1), tuple(0.01, 0.01),
                        tuple(0.01, 0.1), tuple(0.1, 0.01), tuple(0.1, 0.1));
    }

    @Test
    void tableHasAnIndexAndOneColumnPerParameter() throws IOException {
        Path file = Files.writeString(dir.resolve("grid.yaml"), ValidateCommandTest.GRID);

        CliRun run = CliRun.of("expand", file.toString());

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0).split("\\s+")).contains("#", "kl_weight", "prior_std");
        assertThat(lines.get(1).trim()).startsWith("0 ");
        assertThat(lines.get(6).trim()).startsWith("5 ");
    }

    @Test
    void invalidFileIsReportedAsValidateDoes() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), ValidateCommandTest.UNKNOWN_PARAMETER);

        CliRun expand = CliRun.of("expand", file.toString(), "--format", "json");
        CliRun validate = CliRun.of("validate", file.toString());

        assertThat(expand.exitCode()).isEqualTo(2);
        assertThat(expand.out()).isEmpty();
        assertThat(expand.err()).isEqualTo(validate.err());
    }

    @Test
    void nestedParametersAreFlattenedIntoGroupDotNameColumns() {
        Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("lr", 1.0E-4);
        optimizer.put("betas", List.of(0.9, 0.999));
        Map<String, Object> trial = new LinkedHashMap<>();
        trial.put("kl_weight", 0.1);
        trial.put("optimizer", optimizer);

        List<String> lines = ExpandCommand.table(List.of(trial)).lines();

        assertThat(lines).containsExactly(
                "#  kl_weight  optimizer.lr  optimizer.betas",
                "0        0.1        0.0001  0.9,0.999");
    }

    @Test
    void unknownFormatIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("grid.yaml"), ValidateCommandTest.GRID);

        CliRun run = CliRun.of("expand", file.toString(), "--format", "xml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--format");
    }
}
