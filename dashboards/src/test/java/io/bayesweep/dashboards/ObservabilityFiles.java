package io.bayesweep.dashboards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the observability configuration lies: the dashboards module folder, found from the working directory
 * (surefire runs a module's tests in its own folder, so this works from dashboards/ as from orchestrator/), or
 * from the system property {@value #DIR_PROPERTY}.
 */
public final class ObservabilityFiles {

    public static final String DIR_PROPERTY = "bayesweep.dashboards.dir";

    private final Path moduleDir;

    private ObservabilityFiles(Path moduleDir) {
        this.moduleDir = moduleDir;
    }

    public static ObservabilityFiles locate() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            if (!isModuleDir(dir)) {
                throw new IllegalStateException(DIR_PROPERTY + "=" + configured
                        + " is not the dashboards module (no prometheus/prometheus.yml and grafana/dashboards)");
            }
            return new ObservabilityFiles(dir);
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        List<Path> tried = new ArrayList<>();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir, dir.resolve("dashboards"))) {
                tried.add(candidate);
                if (isModuleDir(candidate)) {
                    return new ObservabilityFiles(candidate);
                }
            }
        }
        throw new IllegalStateException("cannot find the dashboards module from " + cwd + " (tried " + tried
                + "); set -D" + DIR_PROPERTY + "=<path to dashboards>");
    }

    private static boolean isModuleDir(Path dir) {
        return Files.isRegularFile(dir.resolve("prometheus/prometheus.yml"))
                && Files.isDirectory(dir.resolve("grafana/dashboards"));
    }

    public Path moduleDir() {
        return moduleDir;
    }

    public Path prometheusDir() {
        return moduleDir.resolve("prometheus");
    }

    public Path prometheusConfig() {
        return prometheusDir().resolve("prometheus.yml");
    }

    public Path rulesFile() {
        return prometheusDir().resolve("rules/bayesweep.rules.yml");
    }

    public Path rulesTestFile() {
        return prometheusDir().resolve("tests/bayesweep.rules.test.yml");
    }

    public Path alertmanagerConfig() {
        return moduleDir.resolve("alertmanager/alertmanager.yml");
    }

    public Path datasources() {
        return moduleDir.resolve("grafana/provisioning/datasources/datasources.yml");
    }

    public Path dashboardProviders() {
        return moduleDir.resolve("grafana/provisioning/dashboards/dashboards.yml");
    }

    public Path dashboardsDir() {
        return moduleDir.resolve("grafana/dashboards");
    }

    /** Every dashboard JSON file, sorted by name. */
    public List<Path> dashboardFiles() {
        try (Stream<Path> files = Files.list(dashboardsDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The orchestrator's Flyway migrations: the tracker schema the dashboards' SQL runs on. */
    public Path migrationsDir() {
        Path dir = moduleDir.resolveSibling("orchestrator").resolve("src/main/resources/db/migration").normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the tracker store migrations are not at " + dir);
        }
        return dir;
    }

    /** docs/observability.md: the metric name contract. */
    public Path metricContract() {
        return moduleDir.resolveSibling("docs").resolve("observability.md").normalize();
    }
}
