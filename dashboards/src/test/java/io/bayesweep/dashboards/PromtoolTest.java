package io.bayesweep.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus configuration, rules and rule unit tests, checked by the real promtool. */
class PromtoolTest {

    private static final ObservabilityFiles FILES = ObservabilityFiles.locate();

    @Test
    void configurationIsValid() {
        // Also loads the rule files the configuration names (rules/*.yml): a glob that matches nothing is an error
        // only at run time, so the next assertion checks that the rules were seen.
        Tools.Result result = promtool("check", "config", "prometheus.yml");
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.output()).as(result.describe()).contains("SUCCESS").contains("bayesweep.rules.yml");
    }

    @Test
    void rulesAreValid() {
        Tools.Result result = promtool("check", "rules", "rules/bayesweep.rules.yml");
        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void ruleUnitTestsPass() {
        Tools.Result result = promtool("test", "rules", "tests/bayesweep.rules.test.yml");
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.output()).as(result.describe()).contains("SUCCESS");
    }

    /** The unit tests must show every alert firing (with expected labels) and staying quiet at least once each. */
    @Test
    void everyAlertHasAFiringAndAQuietUnitTest() throws IOException {
        JsonNode tests = new ObjectMapper(new YAMLFactory()).readTree(FILES.rulesTestFile().toFile());
        Set<String> firing = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : tests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String alert = check.path("alertname").asText();
                JsonNode expected = check.path("exp_alerts");
                if (expected.isEmpty()) {
                    quiet.add(alert);
                } else {
                    firing.add(alert);
                    expected.forEach(e -> assertThat(e.path("exp_annotations").isEmpty())
                            .as("%s: a firing case must check the annotations", alert).isFalse());
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (PrometheusRules.Rule alert : PrometheusRules.alerts(FILES.rulesFile())) {
            if (!firing.contains(alert.alert())) {
                missing.add(alert.alert() + " never fires in " + FILES.rulesTestFile().getFileName());
            }
            if (!quiet.contains(alert.alert())) {
                missing.add(alert.alert() + " is never shown quiet in " + FILES.rulesTestFile().getFileName());
            }
        }
        assertThat(missing).isEmpty();
    }

    private static Tools.Result promtool(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = Tools.require("promtool", Tools.PROMETHEUS_HINT).toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return Tools.run(FILES.prometheusDir(), 120, command);
    }
}
