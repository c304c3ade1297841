package io.bayesweep.dashboards;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The alerts the project promises exist, carry what Alertmanager and people need, and parse on Prometheus. */
class PrometheusRulesTest {

    static final List<String> REQUIRED_ALERTS = List.of("CorruptionStageDetected", "WorkerDown", "TrialStalled",
            "KafkaConsumerLagHigh", "MetricsIngestionErrors");

    private static final ObservabilityFiles FILES = ObservabilityFiles.locate();
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startPrometheus() {
        prometheus = PrometheusServer.startEmpty(FILES.moduleDir().resolve("target/prometheus-rules"));
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void theRequiredAlertsExist() {
        List<String> alerts = PrometheusRules.alerts(FILES.rulesFile()).stream().map(PrometheusRules.Rule::alert)
                .toList();
        assertThat(alerts).containsAll(REQUIRED_ALERTS).doesNotHaveDuplicates();
    }

    @Test
    void everyAlertHasASeverityASummaryADescriptionAndADashboard() {
        List<String> problems = new ArrayList<>();
        for (PrometheusRules.Rule alert : PrometheusRules.alerts(FILES.rulesFile())) {
            if (!List.of("warning", "critical").contains(alert.labels().get("severity"))) {
                problems.add(alert.alert() + ": severity must be warning or critical, is "
                        + alert.labels().get("severity"));
            }
            for (String annotation : List.of("summary", "description", "dashboard")) {
                if (alert.annotations().getOrDefault(annotation, "").isBlank()) {
                    problems.add(alert.alert() + ": no " + annotation + " annotation");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** A per-trial alert keeps the sweep and trial labels: Alertmanager groups by them, the link needs them. */
    @Test
    void theCorruptionAlertLinksToTheTrialDashboardOfItsTrial() {
        PrometheusRules.Rule alert = PrometheusRules.alerts(FILES.rulesFile()).stream()
                .filter(r -> r.alert().equals("CorruptionStageDetected")).findFirst().orElseThrow();
        assertThat(alert.expr()).contains("bayesweep_corruption_active").doesNotContain("by (");
        assertThat(alert.annotations().get("dashboard"))
                .startsWith("http://localhost:3000/d/bayesweep-trial/")
                .contains("var-sweep={{ $labels.sweep }}")
                .contains("var-trial={{ $labels.trial }}");
    }

    /** The Grafana links of the annotations name dashboards and variables that exist. */
    @Test
    void dashboardLinksOfTheAlertsResolve() {
        Map<String, GrafanaDashboard> dashboards = GrafanaDashboard.readAll(FILES).stream()
                .collect(Collectors.toMap(GrafanaDashboard::uid, d -> d));
        List<String> problems = new ArrayList<>();
        for (PrometheusRules.Rule alert : PrometheusRules.alerts(FILES.rulesFile())) {
            for (String value : alert.annotations().values()) {
                problems.addAll(DashboardLinks.problems("alert " + alert.alert(), value, dashboards));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRuleExpressionParsesOnPrometheus() {
        List<DashboardQueries.Query> rules = new DashboardQueries(FILES).rulePromql();
        assertThat(rules).isNotEmpty();
        assertThat(PromqlCheck.errors(prometheus, rules)).isEmpty();
    }
}
