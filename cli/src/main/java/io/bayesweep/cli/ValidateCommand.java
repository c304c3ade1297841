package io.bayesweep.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check sweep files without contacting the orchestrator.",
                "Prints 'FILE: ok (N trials)' on stdout for a valid file and one 'FILE: path: message' line "
                        + "per problem on stderr; exits 2 if any file is invalid."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Sweep files (YAML or JSON).")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int exit = ExitCodes.OK;
        for (Path file : files) {
            try {
                SweepFiles.CheckedSweep sweep = SweepFiles.read(file, 0);
                out.println(file + ": ok (" + sweep.trials().size() + " trials)");
            } catch (SweepFiles.InvalidSweepException e) {
                e.lines().forEach(err::println);
                exit = ExitCodes.INVALID;
            }
        }
        out.flush();
        err.flush();
        return exit;
    }
}
