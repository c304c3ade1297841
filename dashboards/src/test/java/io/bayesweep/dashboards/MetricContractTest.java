package io.bayesweep.dashboards;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric the dashboards and rules query is a name of the contract, docs/observability.md (or a recording
 * rule of ours, or Prometheus's {@code up}). A misspelt metric parses fine and shows an empty panel forever; this
 * catches it, and catches a contract change that the configuration did not follow.
 */
class MetricContractTest {

    private static final ObservabilityFiles FILES = ObservabilityFiles.locate();
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*(`[^|]+)\\|\\s*([^|]*)\\|", Pattern.MULTILINE);
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Test
    void everyQueriedMetricIsInTheContract() throws IOException {
        Set<String> exact = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        readContract(exact, prefixes);
        assertThat(exact).as("metric names read from " + FILES.metricContract()).hasSizeGreaterThan(20);
        PrometheusRules.read(FILES.rulesFile()).stream().filter(r -> !r.isAlert())
                .forEach(r -> exact.add(r.record()));
        exact.add("up");

        List<DashboardQueries.Query> queries = new DashboardQueries(FILES).allPromql(TrackerFixture.variables());
        List<String> unknown = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (DashboardQueries.Query q : queries) {
            for (String metric : metrics(q.text())) {
                used.add(metric);
                if (!exact.contains(metric) && prefixes.stream().noneMatch(metric::startsWith)) {
                    unknown.add(metric + " (" + q.file() + ", " + q.where() + ")");
                }
            }
        }
        assertThat(used).as("metrics found in the queries").contains("bayesweep_corruption_active", "up");
        assertThat(unknown).as("metrics not in " + FILES.metricContract()).isEmpty();
    }

    /** The metric names of a PromQL expression: identifiers outside strings that look like ours or Kafka's. */
    static Set<String> metrics(String promql) {
        String withoutStrings = STRING_LITERAL.matcher(promql).replaceAll("\"\"");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(withoutStrings);
        while (m.find()) {
            String name = m.group();
            if (name.startsWith("bayesweep") || name.startsWith("kafka_") || name.contains(":") || name.equals("up")) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The first two cells of each table row: the metric names (with the shorthand {@code `a_b_c`, `_d`} for
     * {@code a_b_d}, and {@code kafka_consumer_*} for a family) and the type (a histogram adds its series).
     */
    private static void readContract(Set<String> exact, Set<String> prefixes) throws IOException {
        Matcher row = TABLE_ROW.matcher(Files.readString(FILES.metricContract()));
        while (row.find()) {
            String type = row.group(2).strip();
            String first = null;
            Matcher name = BACKTICKED.matcher(row.group(1));
            while (name.find()) {
                String metric = name.group(1);
                if (metric.endsWith("*")) {
                    prefixes.add(metric.substring(0, metric.length() - 1));
                    continue;
                }
                if (metric.startsWith("_") && first != null) {
                    metric = first.substring(0, first.lastIndexOf('_')) + metric;
                } else {
                    first = metric;
                }
                exact.add(metric);
                if (type.equals("histogram")) {
                    // Micrometer's Prometheus histogram: buckets, count, sum, and its max gauge.
                    for (String suffix : List.of("_bucket", "_count", "_sum", "_max")) {
                        exact.add(metric + suffix);
                    }
                }
            }
        }
    }

    @Test
    void metricsOfAnExpression() {
        String expr = "sum by (sweep) (bayesweep_trial_step{job=\"x-bayesweep\"})"
                + " / sweep:bayesweep_trial_progress:ratio";
        assertThat(metrics(expr))
                .containsExactly("bayesweep_trial_step", "sweep:bayesweep_trial_progress:ratio");
    }
}
