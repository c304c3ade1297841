package io.bayesweep.dashboards;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real command-line tools the checks run (promtool, prometheus, amtool). A missing tool is an error that says
 * how to install it, never a skipped test: a check that silently does not run is worse than none.
 */
public final class Tools {

    public static final String PROMETHEUS_HINT = "install Debian's prometheus package (apt-get install prometheus)";
    public static final String ALERTMANAGER_HINT =
            "install Debian's prometheus-alertmanager package (apt-get install prometheus-alertmanager)";

    private Tools() {
    }

    /** What a finished command printed (stdout and stderr together) and its exit code. */
    public record Result(List<String> command, int exitCode, String output) {
        public String describe() {
            return String.join(" ", command) + " exited with " + exitCode + ":\n" + output;
        }
    }

    /** The executable {@code name} on the PATH (or in /usr/bin), or an AssertionError saying how to get it. */
    public static Path require(String name, String installHint) {
        String path = System.getenv("PATH");
        String searched = (path == null ? "" : path + File.pathSeparator) + "/usr/bin";
        for (String dir : searched.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " not found on the PATH (" + searched + "): " + installHint);
    }

    /** Runs a command to its end in {@code workDir}; fails if it takes longer than {@code timeoutSeconds}. */
    public static Result run(Path workDir, long timeoutSeconds, String... command) {
        List<String> cmd = List.of(command);
        try {
            Path output = Files.createTempFile("bayesweep-tool", ".log");
            try {
                Process process = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeoutSeconds
                            + " s:\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(cmd, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", cmd), e);
        }
    }
}
