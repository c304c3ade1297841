package io.bayesweep.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Validate a sweep file locally, then submit it to the orchestrator.",
                "Prints the new sweep's id and trial count; with --watch, continues as 'watch'."})
final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OrchestratorOptions orchestrator;

    @Parameters(paramLabel = "FILE", description = "Sweep file (YAML or JSON).")
    Path file;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of random/bayes sampling; 'expand --seed' with the same value shows the same "
                    + "trials (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--watch", description = "Follow the sweep until it finishes, as 'watch' does.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Refresh interval of --watch in seconds (default: ${DEFAULT-VALUE}).")
    double intervalSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SweepFiles.CheckedSweep sweep;
        try {
            sweep = SweepFiles.read(file, seed);
        } catch (SweepFiles.InvalidSweepException e) {
            e.lines().forEach(err::println);
            err.flush();
            return ExitCodes.INVALID;
        }
        OrchestratorClient client = orchestrator.client();
        SweepView created;
        try {
            created = client.submit(sweep.text(), seed);
        } catch (OrchestratorClient.SweepRejectedException e) {
            // The server's rules may be newer than this cli's: report its problems like validate does.
            e.problems().forEach(p -> err.println(file + ": "
                    + (p.path() == null || p.path().isBlank() ? "" : p.path() + ": ") + p.message()));
            err.flush();
            return ExitCodes.INVALID;
        }
        int trials = created.totalTrials() > 0 ? created.totalTrials() : sweep.trials().size();
        out.println("submitted sweep " + created.id() + " (" + trials + " trials)");
        out.flush();
        if (watch) {
            return WatchCommand.watch(client, created.id(), intervalSeconds, out);
        }
        return ExitCodes.OK;
    }
}
