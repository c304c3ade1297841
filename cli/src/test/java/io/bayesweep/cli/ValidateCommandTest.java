package io.bayesweep.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ValidateCommandTest {
    static final String GRID = """
            name: kl-test
            method: grid
            parameters:
              kl_weight:
                values: [0.0, 0.01, 0.1]
              prior_std:
                values: [0.01, 0.1]
            """;

    static final String UNKNOWN_PARAMETER = """
            method: grid
            parameters:
              kl_weight:
                values: [0.0, 0.1]
              foo_bar:
                value: 3
            """;

    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void validFileIsOkWithItsTrialCount() throws IOException {
        Path file = write("grid.yaml", GRID);

        CliRun run = CliRun.of("validate", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly(file + ": ok (6 trials)");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void problemsAreOneLinePerProblemOnStderrWithExit2() throws IOException {
        Path file = write("bad.yaml", UNKNOWN_PARAMETER);

        CliRun run = CliRun.of("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("\\Q" + file + ": \\E\\S+: .+"))
                .anySatisfy(line -> assertThat(line).startsWith(file + ": parameters.foo_bar"));
    }

    @Test
    void missingFileCannotBeRead() {
        Path missing = dir.resolve("nope.yaml");

        CliRun run = CliRun.of("validate", missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(missing + ": cannot read: no such file");
    }

    @Test
    void everyFileIsCheckedAndOneInvalidFileFailsTheRun() throws IOException {
        Path good = write("grid.yaml", GRID);
        Path missing = dir.resolve("nope.yaml");

        CliRun run = CliRun.of("validate", missing.toString(), good.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.outLines()).containsExactly(good + ": ok (6 trials)");
        assertThat(run.errLines()).containsExactly(missing + ": cannot read: no such file");
    }

    @Test
    void noFileIsAUsageError() {
        CliRun run = CliRun.of("validate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter").contains("Usage: sweep validate");
    }
}
