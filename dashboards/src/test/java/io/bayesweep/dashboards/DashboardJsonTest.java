package io.bayesweep.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboards, checked without a Grafana: their structure and references, every PromQL expression on a
 * real Prometheus, every SQL query on a real PostgreSQL with the tracker schema of the orchestrator's migrations
 * and a small fixture (each query must return rows, not merely parse).
 */
class DashboardJsonTest {

    private static final ObservabilityFiles FILES = ObservabilityFiles.locate();
    /** Grafana's own pseudo datasources, valid without provisioning. */
    private static final Set<String> BUILT_IN_DATASOURCES = Set.of("-- Grafana --", "-- Mixed --", "-- Dashboard --",
            "grafana");
    private static final Map<String, String> EXPECTED = Map.of(
            "sweep-overview.json", "bayesweep-sweeps",
            "trial.json", "bayesweep-trial",
            "workers.json", "bayesweep-workers");

    private static List<GrafanaDashboard> dashboards;
    private static PrometheusServer prometheus;
    private static TrackerDatabase database;
    private static Instant now;

    @BeforeAll
    static void start() throws SQLException {
        dashboards = GrafanaDashboard.readAll(FILES);
        prometheus = PrometheusServer.startEmpty(FILES.moduleDir().resolve("target/prometheus-dashboards"));
        database = TrackerDatabase.create(FILES.migrationsDir());
        now = Instant.now();
        try (Connection c = database.connect()) {
            TrackerFixture.insert(c, now);
        }
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void theThreeDashboardsExistWithTheirUids() {
        Map<String, String> uids = new LinkedHashMap<>();
        dashboards.forEach(d -> uids.put(d.fileName(), d.uid()));
        assertThat(uids).isEqualTo(EXPECTED);
        for (GrafanaDashboard d : dashboards) {
            int schema = d.json().path("schemaVersion").asInt();
            assertThat(schema).as(d.fileName() + " schemaVersion").isBetween(39, 41);
            // The alert links use /d/<uid>/<uid>: the title's slug is the uid.
            assertThat(d.title().toLowerCase().replaceAll("[^a-z0-9]+", "-")).as(d.fileName() + " title slug")
                    .isEqualTo(d.uid());
            assertThat(d.json().path("id").isNull()).as(d.fileName() + ": id must be null (Grafana assigns it)")
                    .isTrue();
        }
    }

    @Test
    void panelIdsAreUniqueAndPanelsFitTheGrid() {
        List<String> problems = new ArrayList<>();
        for (GrafanaDashboard d : dashboards) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : d.panels()) {
                String where = d.fileName() + " " + GrafanaDashboard.describe(panel);
                if (!panel.path("id").canConvertToInt() || !ids.add(panel.path("id").asInt())) {
                    problems.add(where + ": missing or duplicate id");
                }
                JsonNode grid = panel.path("gridPos");
                int x = grid.path("x").asInt(-1);
                int w = grid.path("w").asInt(0);
                if (x < 0 || w <= 0 || x + w > 24 || grid.path("h").asInt(0) <= 0 || grid.path("y").asInt(-1) < 0) {
                    problems.add(where + ": gridPos " + grid + " is not inside the 24-column grid");
                }
                if (panel.path("title").asText().isBlank()) {
                    problems.add(where + ": no title");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyDatasourceIsProvisionedAndReferencedByTypeAndUid() throws IOException {
        Map<String, String> provisioned = provisionedDatasources();
        List<String> problems = new ArrayList<>();
        for (GrafanaDashboard d : dashboards) {
            for (GrafanaDashboard.DatasourceRef ref : d.datasourceRefs()) {
                String where = d.fileName() + " " + ref.where();
                if (ref.uid() == null || ref.type() == null) {
                    problems.add(where + ": a datasource must be {\"type\": ..., \"uid\": ...}");
                } else if (!BUILT_IN_DATASOURCES.contains(ref.uid()) && !provisioned.containsKey(ref.uid())) {
                    problems.add(where + ": uid " + ref.uid() + " is not in datasources.yml " + provisioned.keySet());
                } else if (provisioned.containsKey(ref.uid()) && !provisioned.get(ref.uid()).equals(ref.type())) {
                    problems.add(where + ": uid " + ref.uid() + " has type " + provisioned.get(ref.uid())
                            + ", not " + ref.type());
                }
            }
            for (JsonNode panel : d.panels()) {
                if (!panel.path("targets").isEmpty() && panel.path("datasource").isNull()) {
                    problems.add(d.fileName() + " " + GrafanaDashboard.describe(panel) + ": targets but no datasource");
                }
            }
            for (GrafanaDashboard.Query q : d.queries()) {
                if (q.text() == null || q.text().isBlank()) {
                    problems.add(d.fileName() + " " + q.where() + ": empty query");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyReferencedVariableIsDefined() {
        List<String> problems = new ArrayList<>();
        for (GrafanaDashboard d : dashboards) {
            Set<String> defined = d.variableNames();
            for (GrafanaDashboard.JsonString s : d.strings()) {
                for (String name : GrafanaTemplating.referencedVariables(s.value())) {
                    if (!defined.contains(name) && !GrafanaTemplating.BUILT_INS.contains(name)) {
                        problems.add(d.fileName() + " " + s.path() + ": $" + name + " is not a variable of the "
                                + "dashboard " + defined + " nor a Grafana built-in, in: " + s.value());
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void linksBetweenDashboardsResolve() {
        Map<String, GrafanaDashboard> byUid = dashboards.stream()
                .collect(Collectors.toMap(GrafanaDashboard::uid, d -> d));
        List<String> problems = new ArrayList<>();
        for (GrafanaDashboard d : dashboards) {
            for (GrafanaDashboard.JsonString s : d.strings()) {
                problems.addAll(DashboardLinks.problems(d.fileName() + " " + s.path(), s.value(), byUid));
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Each expression, variables substituted, sent to a real Prometheus: a parse error is a 400 bad_data. */
    @Test
    void everyPromqlExpressionParsesOnPrometheus() {
        List<DashboardQueries.Query> queries = new DashboardQueries(FILES).dashboardPromql(TrackerFixture.variables());
        assertThat(queries).hasSizeGreaterThan(20);
        assertThat(queries).extracting(DashboardQueries.Query::kind)
                .contains(DashboardQueries.Kind.PANEL, DashboardQueries.Kind.VARIABLE,
                        DashboardQueries.Kind.ANNOTATION);
        assertThat(queries).allSatisfy(q -> assertThat(q.text()).as(q.describe()).doesNotContain("$"));
        assertThat(PromqlCheck.errors(prometheus, queries)).isEmpty();
    }

    /**
     * Each SQL query, macros and variables substituted, on the real tracker schema: it must run, return rows on the
     * fixture, and have the columns Grafana needs for its use (time for time series and annotations, __value and
     * __text or one column for a variable).
     */
    @Test
    void everySqlQueryRunsOnTheTrackerSchemaAndReturnsRows() throws SQLException {
        List<DashboardQueries.Query> queries = new DashboardQueries(FILES)
                .dashboardSql(TrackerFixture.variables(), now.minus(DashboardQueries.DEFAULT_RANGE), now);
        assertThat(queries).hasSizeGreaterThan(10);
        List<String> problems = new ArrayList<>();
        try (Connection c = database.connect()) {
            for (DashboardQueries.Query q : queries) {
                String problem = run(c, q);
                if (problem != null) {
                    problems.add(q.describe() + "\n  -> " + problem);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static String run(Connection c, DashboardQueries.Query q) {
        if (q.text().contains("$")) {
            return "not fully substituted";
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q.text())) {
            ResultSetMetaData meta = rs.getMetaData();
            Set<String> columns = new HashSet<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            boolean timeSeries = "time_series".equals(q.format());
            if ((timeSeries || q.kind() == DashboardQueries.Kind.ANNOTATION) && !columns.contains("time")) {
                return "no \"time\" column: " + columns;
            }
            if (q.kind() == DashboardQueries.Kind.ANNOTATION && !columns.contains("text")) {
                return "an annotation needs a \"text\" column: " + columns;
            }
            if (q.kind() == DashboardQueries.Kind.VARIABLE && columns.size() != 1
                    && !columns.containsAll(Set.of("__value", "__text"))) {
                return "a variable query returns one column, or __value and __text: " + columns;
            }
            return rs.next() ? null : "no rows on the fixture";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static Map<String, String> provisionedDatasources() throws IOException {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(FILES.datasources().toFile());
        Map<String, String> types = new LinkedHashMap<>();
        config.path("datasources").forEach(ds -> types.put(ds.path("uid").asText(), ds.path("type").asText()));
        return types;
    }
}
