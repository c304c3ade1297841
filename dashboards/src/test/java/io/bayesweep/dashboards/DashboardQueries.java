package io.bayesweep.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every query of the observability configuration, ready to run: the PromQL of the dashboards (panel targets,
 * variable queries reduced to their selector, annotations) and of the rules, and the dashboards' SQL, with
 * variables, Grafana's global variables and SQL macros substituted. DashboardJsonTest runs them against a real
 * Prometheus and PostgreSQL; the orchestrator's end-to-end test reuses it (test-jar) to assert that each PromQL
 * query returns data from the live services:
 *
 * <pre>{@code
 * DashboardQueries queries = DashboardQueries.locate();
 * Map<String, String> variables = Map.of("sweep", sweepId, "trial", trialId, "worker", ".*");
 * List<String> problems = PromqlCheck.errorsOrEmpty(prometheus, queries.dashboardPromql(variables));
 * }</pre>
 */
public final class DashboardQueries {

    public enum Language { PROMQL, SQL }

    public enum Kind { PANEL, VARIABLE, ANNOTATION, RECORDING_RULE, ALERTING_RULE }

    /**
     * One query. {@code file}: the dashboard or rule file; {@code where}: the panel / variable / annotation / rule;
     * {@code text}: the query as it is run; {@code format}: Grafana's result format (time_series, table) for
     * dashboard queries, null otherwise.
     */
    public record Query(String file, Kind kind, String where, Language language, String text, String format) {
        public String describe() {
            return file + ", " + where + ":\n    " + text.replace("\n", "\n    ");
        }
    }

    /** The time range the checks use: Grafana's default "last 6 hours" of the dashboards. */
    public static final Duration DEFAULT_RANGE = Duration.ofHours(6);

    private final ObservabilityFiles files;

    public DashboardQueries(ObservabilityFiles files) {
        this.files = files;
    }

    public static DashboardQueries locate() {
        return new DashboardQueries(ObservabilityFiles.locate());
    }

    /**
     * The dashboards' PromQL with {@code variables} (sweep, trial, worker, ...) substituted, and Grafana's global
     * variables for the last 6 hours ({@code $__rate_interval} = 1m, {@code $__range} = 21600s).
     */
    public List<Query> dashboardPromql(Map<String, String> variables) {
        Instant to = Instant.now();
        Map<String, String> values = withGlobals(variables, to.minus(DEFAULT_RANGE), to);
        List<Query> result = new ArrayList<>();
        for (GrafanaDashboard dashboard : GrafanaDashboard.readAll(files)) {
            for (GrafanaDashboard.Query q : dashboard.queries()) {
                if (!q.isPrometheus() || q.text() == null) {
                    continue;
                }
                Optional<String> expr = q.source() == GrafanaDashboard.Source.VARIABLE
                        ? GrafanaTemplating.promqlOfVariableQuery(q.text()) : Optional.of(q.text());
                expr.ifPresent(e -> result.add(new Query(q.file(), kind(q.source()), q.where(), Language.PROMQL,
                        GrafanaTemplating.substitute(e, values), q.format())));
            }
        }
        return result;
    }

    /** The PromQL expression of every recording and alerting rule. */
    public List<Query> rulePromql() {
        String file = files.rulesFile().getFileName().toString();
        return PrometheusRules.read(files.rulesFile()).stream()
                .map(r -> new Query(file, r.isAlert() ? Kind.ALERTING_RULE : Kind.RECORDING_RULE,
                        (r.isAlert() ? "alert " : "record ") + r.name(), Language.PROMQL, r.expr(), null))
                .toList();
    }

    /** {@link #dashboardPromql} and {@link #rulePromql} together. */
    public List<Query> allPromql(Map<String, String> variables) {
        List<Query> all = new ArrayList<>(dashboardPromql(variables));
        all.addAll(rulePromql());
        return all;
    }

    /** The dashboards' SQL with the macros expanded for {@code from}-{@code to} and {@code variables} substituted. */
    public List<Query> dashboardSql(Map<String, String> variables, Instant from, Instant to) {
        Map<String, String> values = withGlobals(variables, from, to);
        List<Query> result = new ArrayList<>();
        for (GrafanaDashboard dashboard : GrafanaDashboard.readAll(files)) {
            for (GrafanaDashboard.Query q : dashboard.queries()) {
                if (!q.isSql() || q.text() == null) {
                    continue;
                }
                String expanded = GrafanaTemplating.expandSqlMacros(q.text(), from, to);
                String sql = GrafanaTemplating.substitute(expanded, values);
                result.add(new Query(q.file(), kind(q.source()), q.where(), Language.SQL, sql, q.format()));
            }
        }
        return result;
    }

    private static Map<String, String> withGlobals(Map<String, String> variables, Instant from, Instant to) {
        Map<String, String> values = new HashMap<>(GrafanaTemplating.globalVariables(from, to));
        values.putAll(variables);
        return values;
    }

    private static Kind kind(GrafanaDashboard.Source source) {
        return switch (source) {
            case PANEL -> Kind.PANEL;
            case VARIABLE -> Kind.VARIABLE;
            case ANNOTATION -> Kind.ANNOTATION;
        };
    }
}
