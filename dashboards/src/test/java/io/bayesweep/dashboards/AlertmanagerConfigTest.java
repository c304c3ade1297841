package io.bayesweep.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The Alertmanager configuration, checked by the real amtool, and its routing of every bayesweep alert. */
class AlertmanagerConfigTest {

    private static final ObservabilityFiles FILES = ObservabilityFiles.locate();
    private static final String RECEIVER = "bayesweep-orchestrator";

    @Test
    void configurationIsValid() {
        Tools.Result result = amtool("check-config", FILES.alertmanagerConfig().toString());
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.output()).as(result.describe()).contains("SUCCESS");
    }

    /** Every alert of the rules reaches the orchestrator's webhook (amtool exits 1 on another receiver). */
    @Test
    void everyAlertIsRoutedToTheOrchestrator() {
        for (PrometheusRules.Rule alert : PrometheusRules.alerts(FILES.rulesFile())) {
            Tools.Result result = amtool("config", "routes", "test",
                    "--config.file=" + FILES.alertmanagerConfig(), "--verify.receivers=" + RECEIVER,
                    "alertname=" + alert.alert(), "sweep=sw-1a2b3c4d", "trial=sw-1a2b3c4d-t000",
                    "severity=" + alert.labels().get("severity"));
            assertThat(result.exitCode()).as(result.describe()).isZero();
        }
    }

    @Test
    void groupsByAlertAndTrialAndSendsResolvedAlertsToTheWebhook() throws IOException {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(FILES.alertmanagerConfig().toFile());
        List<String> groupBy = new ArrayList<>();
        config.path("route").path("group_by").forEach(n -> groupBy.add(n.asText()));
        assertThat(groupBy).containsExactly("alertname", "sweep", "trial");
        assertThat(config.path("route").path("receiver").asText()).isEqualTo(RECEIVER);

        JsonNode receiver = null;
        for (JsonNode r : config.path("receivers")) {
            if (RECEIVER.equals(r.path("name").asText())) {
                receiver = r;
            }
        }
        assertThat(receiver).as("receiver " + RECEIVER).isNotNull();
        JsonNode webhook = receiver.path("webhook_configs").path(0);
        assertThat(webhook.path("url").asText()).isEqualTo("http://orchestrator:8080/api/alertmanager/webhook");
        assertThat(webhook.path("send_resolved").asBoolean(false)).isTrue();
    }

    /** Inhibition rules may only name alerts that exist: a renamed alert must not silently escape them. */
    @Test
    void inhibitionRulesNameExistingAlerts() throws IOException {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(FILES.alertmanagerConfig().toFile());
        Set<String> alerts = PrometheusRules.alerts(FILES.rulesFile()).stream().map(PrometheusRules.Rule::alert)
                .collect(Collectors.toSet());
        Pattern alertname = Pattern.compile("alertname\\s*=~?\\s*\"?([\\w|]+)\"?");
        List<String> unknown = new ArrayList<>();
        for (JsonNode rule : config.path("inhibit_rules")) {
            for (String field : List.of("source_matchers", "target_matchers")) {
                for (JsonNode matcher : rule.path(field)) {
                    Matcher m = alertname.matcher(matcher.asText());
                    if (m.find()) {
                        for (String name : m.group(1).split("\\|")) {
                            if (!alerts.contains(name)) {
                                unknown.add(field + " " + matcher.asText() + ": no alert " + name);
                            }
                        }
                    }
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    private static Tools.Result amtool(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = Tools.require("amtool", Tools.ALERTMANAGER_HINT).toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return Tools.run(FILES.moduleDir(), 60, command);
    }
}
