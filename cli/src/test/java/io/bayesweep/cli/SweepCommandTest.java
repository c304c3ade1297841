package io.bayesweep.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SweepCommandTest {
    @Test
    void helpListsEveryCommand() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("validate", "expand", "submit", "list", "status", "watch", "results",
                "cancel", "detect", "server", "demo", "Exit codes");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"validate", "expand", "submit", "list", "status", "watch", "results",
                "cancel", "detect", "server", "demo"}) {
            CliRun run = CliRun.of(command, "--help");
            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out()).as(command).contains("Usage: sweep " + command);
        }
    }

    @Test
    void urlDefaultsToLocalhostOrBayesweepUrl() {
        CliRun run = CliRun.of("list", "--help");

        String expected = System.getenv("BAYESWEEP_URL") == null ? OrchestratorOptions.DEFAULT_URL
                : System.getenv("BAYESWEEP_URL");
        assertThat(run.out()).contains("--url=URL");
        assertThat(new picocli.CommandLine(new ListCommand()).parseArgs().matchedArgs()).isEmpty();
        ListCommand list = new ListCommand();
        new picocli.CommandLine(list).parseArgs();
        assertThat(list.orchestrator.url).isEqualTo(expected);
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRun run = CliRun.of("frobnicate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("frobnicate");
    }
}
