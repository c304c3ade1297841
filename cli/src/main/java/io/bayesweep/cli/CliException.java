package io.bayesweep.cli;

/**
 * A failure the user can act on. {@link SweepCommand} prints it as one line,
 * {@code sweep: <message>}, and exits with {@link #exitCode()}: never a stack trace.
 */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(String message) {
        this(message, 1);
    }

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
