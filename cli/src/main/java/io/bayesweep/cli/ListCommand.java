package io.bayesweep.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List sweeps: id, name, state, trials done/total, creation time (UTC).")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OrchestratorOptions orchestrator;

    @Override
    public Integer call() {
        List<SweepView> sweeps = orchestrator.client().sweeps();
        TextTable table = new TextTable(List.of("ID", "NAME", "STATE", "TRIALS", "CREATED"));
        for (SweepView sweep : sweeps) {
            table.row(List.of(
                    String.valueOf(sweep.id()),
                    sweep.name() == null ? Values.MISSING : sweep.name(),
                    String.valueOf(sweep.state()),
                    sweep.doneTrials() + "/" + sweep.totalTrials(),
                    Values.time(sweep.createdAt())));
        }
        table.print(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
