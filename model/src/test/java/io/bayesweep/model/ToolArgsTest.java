package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolArgsTest {

    @Test
    void readsPairsAndRejectsATypoInsteadOfUsingTheDefault() {
        ToolArgs a = ToolArgs.parse(new String[] {"--steps", "10", "--bacth", "4"});
        assertThat(a.getOrDefault("steps", "1")).isEqualTo("10");
        assertThat(a.getOrDefault("batch", "32")).isEqualTo("32");
        assertThatThrownBy(a::rejectUnknown).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown options [bacth]").hasMessageContaining("steps").hasMessageContaining("batch");
    }

    @Test
    void aLoneOrUnprefixedArgumentIsAnError() {
        assertThatThrownBy(() -> ToolArgs.parse(new String[] {"--steps"})).hasMessageContaining("'--steps'");
        assertThatThrownBy(() -> ToolArgs.parse(new String[] {"steps", "3"})).hasMessageContaining("'steps'");
        ToolArgs ok = ToolArgs.parse(new String[] {"--out", "x"});
        assertThat(ok.containsKey("out")).isTrue();
        assertThat(ok.get("grid")).isNull();
        ok.rejectUnknown();
    }
}
