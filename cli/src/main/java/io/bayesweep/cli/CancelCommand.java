package io.bayesweep.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a running sweep: pending trials are dropped, running ones stopped.")
final class CancelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OrchestratorOptions orchestrator;

    @Parameters(paramLabel = "SWEEP", description = "Sweep id.")
    String sweepId;

    @Override
    public Integer call() {
        SweepView sweep = orchestrator.client().cancel(sweepId);
        spec.commandLine().getOut().println("sweep " + sweep.id() + ": " + sweep.state()
                + " (" + sweep.doneTrials() + "/" + sweep.totalTrials() + " trials done)");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
