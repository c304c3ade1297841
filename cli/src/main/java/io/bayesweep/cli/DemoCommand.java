package io.bayesweep.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"One command from nothing to results: start a private local stack on free ports, run a "
                + "reduced KL-weight sweep, watch it, print the results and stop everything.",
                "Exits 0 if every trial COMPLETED, 1 otherwise."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "Number of workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--json", description = "Print only the results as JSON on stdout; progress goes to stderr.")
    boolean json;

    @Option(names = "--keep", description = "Keep the temporary data directory (store, artifacts, logs).")
    boolean keep;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Use this data directory instead of a fresh temporary one (never deleted).")
    Path dataDir;

    @Option(names = "--sweep-file", paramLabel = "FILE",
            description = "Sweep to reduce (default: <home>/sweeps/kl-weight.yaml).")
    Path sweepFile;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "120", description = "Training steps per trial (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--eval-every", paramLabel = "STEPS", defaultValue = "20",
            description = "Evaluate every this many steps (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Sweep seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "30",
            description = "Give up (keeping the data and logs) if the sweep has not finished by then (default: ${DEFAULT-VALUE}).")
    long timeoutMinutes;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Refresh interval of the live view (default: ${DEFAULT-VALUE}).")
    double intervalSeconds;

    @Override
    public Integer call() {
        if (steps <= 0 || evalEvery <= 0 || workers < 1 || !(intervalSeconds > 0) || timeoutMinutes <= 0) {
            throw new CliException("--steps, --eval-every, --workers, --interval and --timeout must be positive",
                    ExitCodes.INVALID);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // With --json, stdout carries only the JSON so that it can be piped into jq.
        PrintWriter progress = json ? err : out;

        Path file = sweepFile != null ? sweepFile : LocalStack.home().resolve("sweeps/kl-weight.yaml");
        String original;
        try {
            original = Files.readString(file);
        } catch (IOException e) {
            throw new CliException("cannot read the demo sweep " + file + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        String reduced = DemoPreset.reduce(original, steps, evalEvery);
        SweepFiles.CheckedSweep sweep;
        try {
            sweep = SweepFiles.check(file + " (demo preset)", reduced, seed);
        } catch (SweepFiles.InvalidSweepException e) {
            e.lines().forEach(err::println);
            err.flush();
            return ExitCodes.INVALID;
        }

        boolean temporary = dataDir == null;
        Path data = temporary ? createTempDir() : dataDir;
        int[] ports = freePorts(2);
        List<TrialView> trials = null;
        try (LocalStack stack = LocalStack.start(
                new LocalStack.Options(LocalStack.home(), workers, ports[0], ports[1], data, System.getenv()), progress)) {
            OrchestratorClient client = new OrchestratorClient(stack.url());
            SweepView created = client.submit(sweep.text(), seed);
            progress.println("submitted sweep " + created.id() + " (" + sweep.trials().size() + " trials, "
                    + steps + " steps each, eval every " + evalEvery + ")");
            progress.flush();
            Duration interval = Duration.ofMillis(Math.max(1, Math.round(intervalSeconds * 1000)));
            boolean ansi = !json && SweepWatcher.stdoutIsTerminal();
            try {
                // A stuck trial must not leave the demo hanging: a deadline, checked between refreshes.
                java.time.Instant deadline = java.time.Instant.now().plus(Duration.ofMinutes(timeoutMinutes));
                SweepWatcher.Sleeper sleeper = d -> {
                    if (java.time.Instant.now().isAfter(deadline)) {
                        throw new CliException("sweep " + created.id() + " did not finish within " + timeoutMinutes
                                + " minutes; see the logs under " + data.toAbsolutePath());
                    }
                    Thread.sleep(d.toMillis());
                };
                trials = new SweepWatcher(client, progress, ansi, interval, sleeper).watch(created.id());
            } catch (CliException e) {
                if (stack.stopping()) {
                    // Ctrl-C stopped the stack under the watcher: not an error worth a line.
                    return 130;
                }
                throw e;
            }
        } finally {
            // After a failure the logs are what the user needs, so they are kept.
            if (temporary && !keep && trials != null) {
                deleteQuietly(data);
            } else {
                progress.println("data and logs kept in " + data.toAbsolutePath());
                progress.flush();
            }
        }

        TrialResults results = new TrialResults(trials);
        if (json) {
            results.print(TrialResults.Format.json, out);
        } else {
            out.println();
            results.print(TrialResults.Format.table, out);
        }
        return results.allCompleted() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("bayesweep-demo-");
        } catch (IOException e) {
            throw new CliException("cannot create a temporary data directory: " + e.getMessage());
        }
    }

    /** Distinct free loopback ports; held together while picking so that they differ. */
    static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new CliException("cannot find a free port: " + e.getMessage());
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    if (socket != null) {
                        socket.close();
                    }
                } catch (IOException ignored) {
                    // closing a probe socket cannot matter
                }
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp dir is harmless; failing the demo for it would not be
        }
    }
}
