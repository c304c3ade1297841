package io.bayesweep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;

/**
 * Shrinks a sweep to demo size: few steps, frequent evals, at most three KL weights
 * (first, middle, last, so the demo still spans the range).
 */
final class DemoPreset {
    static final int MAX_KL_WEIGHTS = 3;

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    private DemoPreset() {
    }

    static String reduce(String yaml, int steps, int evalEvery) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new CliException("the demo sweep is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(root instanceof ObjectNode sweep)) {
            throw new CliException("the demo sweep is not a YAML mapping");
        }
        if (sweep.has("parameters") && !sweep.get("parameters").isObject()) {
            throw new CliException("the demo sweep's 'parameters' is not a mapping");
        }
        ObjectNode parameters = sweep.withObjectProperty("parameters");
        parameters.set("steps", YAML.createObjectNode().put("value", steps));
        parameters.set("eval_every", YAML.createObjectNode().put("value", evalEvery));
        JsonNode values = parameters.path("kl_weight").path("values");
        if (values instanceof ArrayNode list && list.size() > MAX_KL_WEIGHTS) {
            ArrayNode kept = YAML.createArrayNode()
                    .add(list.get(0))
                    .add(list.get(list.size() / 2))
                    .add(list.get(list.size() - 1));
            ((ObjectNode) parameters.get("kl_weight")).set("values", kept);
        }
        try {
            return YAML.writeValueAsString(sweep);
        } catch (IOException e) {
            throw new CliException("cannot write the demo sweep: " + e.getMessage());
        }
    }
}
