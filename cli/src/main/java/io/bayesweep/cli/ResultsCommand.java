package io.bayesweep.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "results", mixinStandardHelpOptions = true,
        description = {"One row per trial: trial id, parameters, state, the corruption-stage detector's state "
                + "(STAGE) and number of corruption windows (WINDOWS), and final metrics "
                + "(loss, fidelity, noise, diversity, memorization, then any others).",
                "json: an array of {trialId, params, state, detection, metrics}; csv: a header row, parameters "
                        + "flattened as group.name columns."})
final class ResultsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OrchestratorOptions orchestrator;

    @Parameters(paramLabel = "SWEEP", description = "Sweep id.")
    String sweepId;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    TrialResults.Format format;

    @Override
    public Integer call() {
        new TrialResults(orchestrator.client().trials(sweepId)).print(format, spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
