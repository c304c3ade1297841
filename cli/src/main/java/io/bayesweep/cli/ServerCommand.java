package io.bayesweep.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the orchestrator and N workers on this machine until Ctrl-C.",
                "Kafka and the tracker store are embedded unless KAFKA_BOOTSTRAP_SERVERS / "
                        + "BAYESWEEP_STORE_JDBC_URL are set. Child logs go to DATA_DIR/logs."})
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "Number of workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP port of the orchestrator (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Port of the embedded Kafka broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
            description = "Store, artifacts and logs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() {
        if (workers < 0) {
            throw new CliException("--workers must be 0 or more", ExitCodes.INVALID);
        }
        PrintWriter out = spec.commandLine().getOut();
        LocalStack stack = LocalStack.start(new LocalStack.Options(LocalStack.home(), workers, port, kafkaPort,
                dataDir, System.getenv()), out);
        out.println("press Ctrl-C to stop");
        out.flush();
        // Ctrl-C runs the stack's shutdown hook; otherwise we only return if the orchestrator dies.
        int code = stack.orchestratorProcess().onExit().join().exitValue();
        if (stack.stopping()) {
            return 130;
        }
        stack.close();
        throw new CliException("the orchestrator exited with code " + code
                + LocalStack.logTail(stack.options().log("orchestrator")));
    }
}
