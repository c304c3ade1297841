package io.bayesweep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;

/** {@code sweep}: validate, submit, watch and compare hyper-parameter sweeps. */
@Command(name = "sweep",
        mixinStandardHelpOptions = true,
        versionProvider = SweepCommand.Version.class,
        description = "Validate, submit, watch and compare bayesweep hyper-parameter sweeps.",
        subcommands = {
                ValidateCommand.class,
                ExpandCommand.class,
                SubmitCommand.class,
                ListCommand.class,
                StatusCommand.class,
                WatchCommand.class,
                ResultsCommand.class,
                CancelCommand.class,
                DetectCommand.class,
                ServerCommand.class,
                DemoCommand.class,
                CommandLine.HelpCommand.class,
        },
        footer = {"",
                "Exit codes:",
                "  0  ok",
                "  1  orchestrator unreachable or answered an error; a demo trial did not complete",
                "  2  invalid sweep file, trace file or command line",
                "",
                "Commands that talk to the orchestrator take --url URL",
                "(env BAYESWEEP_URL, default http://localhost:8080).",
                "See docs/cli.md for examples."})
public final class SweepCommand implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line; tests call this with their own out/err writers. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new SweepCommand());
        commandLine.setExecutionExceptionHandler(SweepCommand::handle);
        return commandLine;
    }

    @Override
    public void run() {
        // "sweep" alone: show what it can do rather than doing nothing silently.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof CliException cli) {
            err.println("sweep: " + cli.getMessage());
            err.flush();
            return cli.exitCode();
        }
        err.println("sweep: unexpected error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""))
                + (System.getenv("BAYESWEEP_DEBUG") == null ? " (set BAYESWEEP_DEBUG=1 for details)" : ""));
        if (System.getenv("BAYESWEEP_DEBUG") != null) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return ExitCodes.FAILURE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SweepCommand.class.getPackage().getImplementationVersion();
            return new String[] {"sweep " + (version == null ? "(development build)" : version)};
        }
    }
}
