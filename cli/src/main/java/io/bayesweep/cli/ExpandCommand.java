package io.bayesweep.cli;

import io.bayesweep.messages.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "expand", mixinStandardHelpOptions = true,
        description = {"Show the trials 'submit' would create, in order, without contacting the orchestrator.",
                "An invalid file is reported as by 'validate' (exit 2)."})
final class ExpandCommand implements Callable<Integer> {
    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Sweep file (YAML or JSON).")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of random/bayes sampling; use the same with submit (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SweepFiles.CheckedSweep sweep;
        try {
            sweep = SweepFiles.read(file, seed);
        } catch (SweepFiles.InvalidSweepException e) {
            PrintWriter err = spec.commandLine().getErr();
            e.lines().forEach(err::println);
            err.flush();
            return ExitCodes.INVALID;
        }
        if (format == Format.json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(sweep.trials()));
        } else {
            table(sweep.trials()).print(out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static TextTable table(List<Map<String, Object>> trials) {
        List<Map<String, Object>> flat = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        for (Map<String, Object> trial : trials) {
            Map<String, Object> f = Values.flatten(trial);
            flat.add(f);
            columns.addAll(f.keySet());
        }
        List<String> header = new ArrayList<>();
        header.add("#");
        header.addAll(columns);
        TextTable table = new TextTable(header);
        for (int i = 0; i < flat.size(); i++) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(i));
            for (String column : columns) {
                row.add(Values.param(flat.get(i).get(column)));
            }
            table.row(row);
        }
        return table;
    }
}
