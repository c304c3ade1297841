package io.bayesweep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DemoPresetTest {
    static final String KL_WEIGHT = """
            # the full study
            name: kl-weight
            description: KL weight against the corruption stage
            method: grid
            metric:
              name: fidelity
              goal: maximize
            parameters:
              kl_weight:
                values: [0.0, 0.001, 0.01, 0.1, 1.0]
              prior_std:
                value: 0.05
              bayesian_layers:
                value: [conv, attn]
              steps:
                value: 2000
              subject:
                value: wink
            """;

    final YAMLMapper yaml = new YAMLMapper();

    @Test
    void reducesStepsEvalEveryAndKlWeights() throws IOException {
        JsonNode reduced = yaml.readTree(DemoPreset.reduce(KL_WEIGHT, 120, 20));

        JsonNode parameters = reduced.get("parameters");
        assertThat(parameters.get("steps").get("value").asInt()).isEqualTo(120);
        assertThat(parameters.get("steps").size()).isEqualTo(1);
        assertThat(parameters.get("eval_every").get("value").asInt()).isEqualTo(20);
        assertThat(parameters.get("kl_weight").get("values"))
                .extracting(JsonNode::asDouble).containsExactly(0.0, 0.01, 1.0);
    }

    @Test
    void keepsEverythingElse() throws IOException {
        JsonNode original = yaml.readTree(KL_WEIGHT);
        JsonNode reduced = yaml.readTree(DemoPreset.reduce(KL_WEIGHT, 120, 20));

        assertThat(reduced.get("name")).isEqualTo(original.get("name"));
        assertThat(reduced.get("method")).isEqualTo(original.get("method"));
        assertThat(reduced.get("metric")).isEqualTo(original.get("metric"));
        assertThat(reduced.get("parameters").get("prior_std")).isEqualTo(original.get("parameters").get("prior_std"));
        assertThat(reduced.get("parameters").get("bayesian_layers"))
                .isEqualTo(original.get("parameters").get("bayesian_layers"));
        assertThat(reduced.get("parameters").get("subject").get("value").asText()).isEqualTo("wink");
    }

    @Test
    void threeOrFewerKlWeightsAreKept() throws IOException {
        String two = KL_WEIGHT.replace("[0.0, 0.001, 0.01, 0.1, 1.0]", "[0.0, 0.1]");

        JsonNode reduced = yaml.readTree(DemoPreset.reduce(two, 50, 10));

        assertThat(reduced.get("parameters").get("kl_weight").get("values"))
                .extracting(JsonNode::asDouble).containsExactly(0.0, 0.1);
        assertThat(reduced.get("parameters").get("steps").get("value").asInt()).isEqualTo(50);
    }

    @Test
    void theShippedKlWeightSweepReducesToAValidThreeTrialSweep() throws Exception {
        Path shipped = Path.of("../sweeps/kl-weight.yaml");
        assumeTrue(Files.isRegularFile(shipped), "sweeps/kl-weight.yaml is not in this checkout");

        String reduced = DemoPreset.reduce(Files.readString(shipped), 120, 20);

        SweepFiles.CheckedSweep sweep = SweepFiles.check("kl-weight.yaml", reduced, 0);
        assertThat(sweep.trials()).hasSize(3)
                .allSatisfy(trial -> assertThat(trial).containsEntry("steps", 120).containsEntry("eval_every", 20));
    }

    @Test
    void notYamlIsOneClearError() {
        assertThatThrownBy(() -> DemoPreset.reduce("parameters: [unclosed", 120, 20))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("the demo sweep is not valid YAML");
    }
}
