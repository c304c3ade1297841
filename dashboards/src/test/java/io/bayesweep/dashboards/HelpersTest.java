package io.bayesweep.dashboards;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test helpers themselves: a missing tool fails with the way to install it; Grafana templating. */
class HelpersTest {

    @Test
    void aMissingToolFailsWithTheInstallHint() {
        assertThatThrownBy(() -> Tools.require("promtool-that-does-not-exist", Tools.PROMETHEUS_HINT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("promtool-that-does-not-exist not found")
                .hasMessageContaining("apt-get install prometheus");
    }

    @Test
    void templatingSubstitutesEveryReferenceSyntax() {
        Map<String, String> values = Map.of("sweep", "sw-1", "__rate_interval", "1m");
        String query = "a{sweep=\"$sweep\"}[$__rate_interval] ${sweep} ${sweep:raw} [[sweep]] $other";
        assertThat(GrafanaTemplating.substitute(query, values))
                .isEqualTo("a{sweep=\"sw-1\"}[1m] sw-1 sw-1 sw-1 $other");
        assertThat(GrafanaTemplating.referencedVariables("${__value.raw} $trial [[worker]] $__timeFilter(x)"))
                .containsExactly("__value", "trial", "worker", "__timeFilter");
        assertThat(GrafanaTemplating.promqlOfVariableQuery("label_values(up{job=~\"a,b\"}, instance)"))
                .contains("up{job=~\"a,b\"}");
        assertThat(GrafanaTemplating.promqlOfVariableQuery("label_values(worker)")).isEmpty();
    }
}
