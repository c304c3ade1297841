package io.bayesweep.cli;

/** The exit codes scripts may rely on; documented in docs/cli.md. */
final class ExitCodes {
    static final int OK = 0;
    /** The orchestrator could not be reached, answered an error, or a demo trial did not complete. */
    static final int FAILURE = 1;
    /** The sweep file, the trace file ({@code detect}) or the command line is invalid: nothing was sent. */
    static final int INVALID = 2;

    private ExitCodes() {
    }
}
