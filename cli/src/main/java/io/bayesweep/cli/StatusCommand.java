package io.bayesweep.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a sweep's summary and its trials: state, step/total, attempt, worker.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OrchestratorOptions orchestrator;

    @Parameters(paramLabel = "SWEEP", description = "Sweep id.")
    String sweepId;

    @Override
    public Integer call() {
        OrchestratorClient client = orchestrator.client();
        SweepView sweep = client.sweep(sweepId);
        List<TrialView> trials = client.trials(sweepId);
        PrintWriter out = spec.commandLine().getOut();
        summary(sweep).forEach(out::println);
        out.println();
        trialTable(trials).print(out);
        return ExitCodes.OK;
    }

    static List<String> summary(SweepView sweep) {
        List<String> lines = new ArrayList<>();
        lines.add("sweep     " + sweep.id() + (sweep.name() == null ? "" : " (" + sweep.name() + ")"));
        if (sweep.description() != null && !sweep.description().isBlank()) {
            lines.add("          " + sweep.description().strip().replace("\n", " "));
        }
        lines.add("state     " + sweep.state());
        lines.add("method    " + (sweep.method() == null ? Values.MISSING : sweep.method()));
        if (sweep.metricName() != null) {
            lines.add("metric    " + sweep.metricName()
                    + (sweep.metricGoal() == null ? "" : " (" + sweep.metricGoal() + ")"));
        }
        lines.add("created   " + Values.time(sweep.createdAt()));
        if (sweep.finishedAt() != null) {
            lines.add("finished  " + Values.time(sweep.finishedAt()));
        }
        StringBuilder counts = new StringBuilder();
        Map<String, Integer> sorted = new TreeMap<>(sweep.trialCounts() == null ? Map.of() : sweep.trialCounts());
        sorted.forEach((state, n) -> {
            if (n != null && n > 0) {
                counts.append(counts.length() == 0 ? "" : ", ").append(n).append(' ').append(state);
            }
        });
        lines.add("trials    " + sweep.doneTrials() + "/" + sweep.totalTrials() + " done"
                + (counts.length() == 0 ? "" : " (" + counts + ")"));
        return lines;
    }

    static TextTable trialTable(List<TrialView> trials) {
        boolean anyReason = trials.stream().anyMatch(t -> t.reason() != null && !t.reason().isBlank());
        List<String> header = new ArrayList<>(List.of("#", "TRIAL", "STATE", "STEP", "ATTEMPT", "WORKER"));
        if (anyReason) {
            header.add("REASON");
        }
        TextTable table = new TextTable(header);
        trials.stream()
                .sorted(Comparator.comparing((TrialView t) -> t.index() == null ? Integer.MAX_VALUE : t.index()))
                .forEach(t -> {
                    List<String> row = new ArrayList<>(List.of(
                            t.index() == null ? Values.MISSING : t.index().toString(),
                            String.valueOf(t.id()),
                            String.valueOf(t.state()),
                            (t.step() == null ? "0" : t.step().toString()) + "/"
                                    + (t.totalSteps() == null ? "?" : t.totalSteps().toString()),
                            t.attempt() == null ? Values.MISSING : t.attempt().toString(),
                            t.worker() == null ? Values.MISSING : t.worker()));
                    if (anyReason) {
                        row.add(t.reason() == null ? "" : t.reason());
                    }
                    table.row(row);
                });
        return table;
    }
}
