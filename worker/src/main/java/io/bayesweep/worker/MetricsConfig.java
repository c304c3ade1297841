package io.bayesweep.worker;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Where a worker serves its Prometheus metrics, and how long it keeps a finished trial's series.
 *
 * @param host          the address the HTTP server binds to
 * @param port          the port, 0 for any free one, or {@link #OFF} to serve nothing (the meters still exist)
 * @param finishedGrace how long the per-trial series of a trial this worker finished stay published, so that
 *                      Prometheus scrapes the last values before they go
 */
public record MetricsConfig(String host, int port, Duration finishedGrace) {

    public static final int OFF = -1;
    public static final int DEFAULT_PORT = 9400;
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(600);

    static final String PORT_ENV = "BAYESWEEP_METRICS_PORT";
    static final String HOST_ENV = "BAYESWEEP_METRICS_HOST";
    static final String GRACE_ENV = "BAYESWEEP_METRICS_GRACE_SECONDS";

    public MetricsConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the metrics host must not be blank");
        }
        if (port < OFF || port > 65_535) {
            throw new IllegalArgumentException("metrics port " + port + " is not 0-65535 or " + OFF + " (off)");
        }
        if (finishedGrace == null || finishedGrace.isNegative()) {
            throw new IllegalArgumentException("the finished-trial grace must not be negative: " + finishedGrace);
        }
    }

    /**
     * Meters without an HTTP server: for workers embedded in another JVM (tests), where several workers
     * would otherwise compete for one port.
     */
    public static MetricsConfig notServed() {
        return new MetricsConfig(DEFAULT_HOST, OFF, DEFAULT_GRACE);
    }

    public boolean served() {
        return port != OFF;
    }

    /** Reads {@code BAYESWEEP_METRICS_PORT}, {@code _HOST} and {@code _GRACE_SECONDS} (see docs/operations.md). */
    static MetricsConfig fromEnvironment(Map<String, String> env) {
        String host = env.get(HOST_ENV);
        return new MetricsConfig(host == null || host.isBlank() ? DEFAULT_HOST : host.trim(), port(env),
                Duration.ofSeconds(graceSeconds(env)));
    }

    private static int port(Map<String, String> env) {
        String text = env.get(PORT_ENV);
        if (text == null || text.isBlank()) {
            return DEFAULT_PORT;
        }
        if (text.trim().toLowerCase(Locale.ROOT).equals("off")) {
            return OFF;
        }
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(PORT_ENV + "=" + text
                + " is not a port: give 1-65535, 0 for any free port, or 'off' to serve no metrics");
    }

    private static long graceSeconds(Map<String, String> env) {
        String text = env.get(GRACE_ENV);
        if (text == null || text.isBlank()) {
            return DEFAULT_GRACE.toSeconds();
        }
        try {
            long seconds = Long.parseLong(text.trim());
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(GRACE_ENV + "=" + text + " is not a whole number of seconds (0 or more)");
    }
}
