package io.bayesweep.cli;

import picocli.CommandLine.Option;

/** The {@code --url} option shared by every command that talks to a running orchestrator. */
final class OrchestratorOptions {
    static final String DEFAULT_URL = "http://localhost:8080";

    @Option(names = "--url", paramLabel = "URL",
            defaultValue = "${env:BAYESWEEP_URL:-" + DEFAULT_URL + "}",
            description = "Orchestrator base URL (env BAYESWEEP_URL; default: " + DEFAULT_URL + ").")
    String url;

    OrchestratorClient client() {
        return new OrchestratorClient(url);
    }
}
