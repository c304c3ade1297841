package io.bayesweep.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each dashboard must show (see the dashboards section of the observability docs): a panel that
 * disappears or loses its query in an edit fails here, not in front of a user.
 */
class DashboardContentTest {

    private static final Map<String, GrafanaDashboard> BY_UID = GrafanaDashboard.readAll(ObservabilityFiles.locate())
            .stream().collect(Collectors.toMap(GrafanaDashboard::uid, d -> d));

    @Test
    void sweepOverview() {
        GrafanaDashboard d = BY_UID.get("bayesweep-sweeps");
        assertThat(d.variableNames()).containsExactly("sweep");
        assertThat(queryTexts(d, GrafanaDashboard.Source.PANEL)).contains(
                "bayesweep_trials{sweep=\"$sweep\"}",              // trials by state
                "total_steps",                                      // progress
                "s.metric_name", "metric_goal", "metric_values",    // best trials by the sweep's metric
                "bayesweep_corruption_active{sweep=\"$sweep\"} == 1", // trials in corruption now
                "bayesweep:worker_steps_per_second:sum");           // throughput
    }

    @Test
    void trial() {
        GrafanaDashboard d = BY_UID.get("bayesweep-trial");
        assertThat(d.variableNames()).containsExactly("sweep", "trial", "orchestrator_url");
        JsonNode url = d.variables().get(2);
        assertThat(url.path("type").asText()).isEqualTo("textbox");
        assertThat(url.path("query").asText()).isEqualTo("http://localhost:8080");

        String panels = queryTexts(d, GrafanaDashboard.Source.PANEL);
        for (String gauge : List.of("fidelity", "noise", "diversity", "loss", "kl")) {
            assertThat(panels).contains("bayesweep_trial_" + gauge + "{sweep=\"$sweep\",trial=\"$trial\"}");
        }
        assertThat(panels).contains("FROM metric_values");
        // The corruption stage shaded from both sources.
        String annotations = queryTexts(d, GrafanaDashboard.Source.ANNOTATION);
        assertThat(annotations).contains("bayesweep_corruption_active{sweep=\"$sweep\",trial=\"$trial\"}")
                .contains("FROM corruption_alerts");
        // Step on the x axis for the tracker store's history.
        assertThat(panelsOfType(d, "trend")).isNotEmpty()
                .allSatisfy(p -> assertThat(p.path("options").path("xField").asText()).isEqualTo("step"));
        // The latest sample grid, from the orchestrator URL variable.
        assertThat(panelsOfType(d, "text")).anySatisfy(p -> {
            assertThat(p.path("options").path("mode").asText()).isEqualTo("html");
            assertThat(p.path("options").path("content").asText())
                    .contains("<img src=\"${orchestrator_url}/api/trials/${trial}/samples/latest");
        });
    }

    @Test
    void workers() {
        GrafanaDashboard d = BY_UID.get("bayesweep-workers");
        assertThat(d.variableNames()).containsExactly("worker");
        assertThat(queryTexts(d, GrafanaDashboard.Source.PANEL)).contains(
                "bayesweep_worker_steps_per_second{worker=~\"$worker\"}",
                "rate(bayesweep_worker_step_duration_seconds_bucket{worker=~\"$worker\"}[$__rate_interval])",
                "bayesweep_worker_busy{worker=~\"$worker\"}",
                "kafka_consumer_fetch_manager_records_lag_max",
                "bayesweep_worker_errors_total",
                "bayesweep_metrics_rejected_total",
                "up{job=\"bayesweep-worker\"}");
    }

    private static String queryTexts(GrafanaDashboard d, GrafanaDashboard.Source source) {
        return d.queries().stream().filter(q -> q.source() == source).map(GrafanaDashboard.Query::text)
                .collect(Collectors.joining("\n"));
    }

    private static List<JsonNode> panelsOfType(GrafanaDashboard d, String type) {
        return d.panels().stream().filter(p -> type.equals(p.path("type").asText())).toList();
    }
}
