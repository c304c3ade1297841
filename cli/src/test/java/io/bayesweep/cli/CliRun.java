package io.bayesweep.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs {@code sweep ARGS} in-process with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SweepCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new CliRun(exit, normalize(out), normalize(err));
    }

    List<String> outLines() {
        return out.isEmpty() ? List.of() : out.lines().toList();
    }

    List<String> errLines() {
        return err.isEmpty() ? List.of() : err.lines().toList();
    }

    private static String normalize(StringWriter writer) {
        return writer.toString().replace("\r\n", "\n");
    }
}
