package io.bayesweep.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow a sweep live: one line per trial with progress, state, the corruption-stage "
                + "detector's state (stage) and latest loss, fidelity and noise.",
                "Redraws in place on a terminal; prints only changed lines otherwise. Ends with the results "
                        + "table when the sweep is COMPLETED or CANCELLED (exit 0)."})
final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OrchestratorOptions orchestrator;

    @Parameters(paramLabel = "SWEEP", description = "Sweep id.")
    String sweepId;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Refresh interval in seconds (default: ${DEFAULT-VALUE}).")
    double intervalSeconds;

    @Override
    public Integer call() {
        return watch(orchestrator.client(), sweepId, intervalSeconds, spec.commandLine().getOut());
    }

    /** Shared by watch and submit --watch. */
    static int watch(OrchestratorClient client, String sweepId, double intervalSeconds, PrintWriter out) {
        if (!(intervalSeconds > 0)) {
            throw new CliException("--interval must be a positive number of seconds", ExitCodes.INVALID);
        }
        Duration interval = Duration.ofMillis(Math.max(1, Math.round(intervalSeconds * 1000)));
        List<TrialView> trials = new SweepWatcher(client, out, SweepWatcher.stdoutIsTerminal(), interval)
                .watch(sweepId);
        out.println();
        new TrialResults(trials).print(TrialResults.Format.table, out);
        return ExitCodes.OK;
    }
}
