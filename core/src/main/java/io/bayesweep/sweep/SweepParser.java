package io.bayesweep.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Reads and validates a sweep file in W&B's format (YAML or JSON). Every problem found is reported, each with
 * its key path; see docs/sweeps.md.
 */
public final class SweepParser {
    static final List<String> TOP_LEVEL_KEYS = List.of("method", "metric", "run_cap", "name", "description",
            "parameters");
    private static final List<String> METRIC_KEYS = List.of("name", "goal", "target");
    private static final List<String> GOALS = List.of(MetricGoal.MINIMIZE, MetricGoal.MAXIMIZE);
    private static final List<String> METHODS = List.of("grid", "random");

    private SweepParser() {
    }

    public static SweepSpec parse(String yamlOrJson) throws SweepValidationException {
        JsonNode root = SweepDocumentReader.read(yamlOrJson);
        Problems problems = new Problems();
        if (!root.isObject()) {
            problems.add(SweepProblem.DOCUMENT, "a sweep must be a mapping with method and parameters, found "
                    + NodeValues.describe(root));
            problems.throwIfAny();
        }
        checkTopLevelKeys(root, problems);
        SweepMethod method = method(root.get("method"), problems);
        MetricGoal metric = metric(root.get("metric"), problems);
        Integer runCap = runCap(root.get("run_cap"), problems);
        String name = optionalString(root, "name", problems);
        String description = optionalString(root, "description", problems);
        List<ParameterNode> parameters = new ParameterSectionParser(problems, method).parseTopLevel(
                root.get("parameters"));
        if (!problems.isEmpty()) {
            problems.throwIfAny();
        }
        SweepSpec spec = new SweepSpec(name, description, method, metric, runCap, parameters);
        problems.addAll(MethodRules.problems(spec));
        problems.throwIfAny();
        return spec;
    }

    private static void checkTopLevelKeys(JsonNode root, Problems problems) {
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String key = field.getKey();
            if (TOP_LEVEL_KEYS.contains(key)) {
                continue;
            }
            String wandb = WandbKeys.unsupportedTopLevel(key);
            problems.add(key, wandb != null ? wandb
                    : "unknown key '" + key + "'" + Suggestions.didYouMean(key, TOP_LEVEL_KEYS)
                    + "; a sweep has " + String.join(", ", TOP_LEVEL_KEYS));
        }
    }

    private static SweepMethod method(JsonNode node, Problems problems) {
        if (node == null) {
            problems.add("method", "missing: a sweep needs method grid or random");
            return null;
        }
        if (!node.isTextual()) {
            problems.add("method", NodeValues.describe(node) + " is not a method (use grid or random)");
            return null;
        }
        String text = node.textValue();
        switch (text) {
            case "grid":
                return SweepMethod.GRID;
            case "random":
                return SweepMethod.RANDOM;
            case "bayes":
                problems.add("method", "method 'bayes' is not supported yet (use grid or random)");
                return null;
            case "custom":
                problems.add("method", "method 'custom' is not supported (use grid or random)");
                return null;
            default:
                String hint = TrainingParameters.METHODS.contains(text)
                        ? " (the training method goes under parameters, e.g. method: {value: " + text + "})"
                        : Suggestions.didYouMean(text, METHODS);
                problems.add("method", "unknown method '" + text + "'" + hint + "; use grid or random");
                return null;
        }
    }

    private static MetricGoal metric(JsonNode node, Problems problems) {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            problems.add("metric", "must be a mapping with name and goal, found " + NodeValues.describe(node));
            return null;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = field.getKey();
            if (!METRIC_KEYS.contains(key)) {
                String wandb = WandbKeys.unsupportedInMetric(key);
                problems.add("metric." + key, wandb != null ? wandb
                        : "unknown key '" + key + "'" + Suggestions.didYouMean(key, METRIC_KEYS)
                        + "; metric has " + String.join(", ", METRIC_KEYS));
            }
        }
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual() || name.textValue().isBlank()) {
            problems.add("metric.name", name == null ? "missing: the metric to rank trials by, e.g. fidelity"
                    : NodeValues.describe(name) + " is not a metric name");
        }
        String goal = MetricGoal.MINIMIZE; // W&B's default
        JsonNode goalNode = node.get("goal");
        if (goalNode != null) {
            if (goalNode.isTextual() && GOALS.contains(goalNode.textValue())) {
                goal = goalNode.textValue();
            } else {
                String typed = goalNode.isTextual() ? goalNode.textValue() : "";
                problems.add("metric.goal", NodeValues.describe(goalNode) + " is not a goal (use minimize or maximize)"
                        + Suggestions.didYouMean(typed, GOALS));
            }
        }
        Double target = null;
        JsonNode targetNode = node.get("target");
        if (targetNode != null) {
            if (targetNode.isNumber() && Double.isFinite(targetNode.doubleValue())) {
                target = targetNode.doubleValue();
            } else {
                problems.add("metric.target", NodeValues.describe(targetNode) + " is not a number");
            }
        }
        return name != null && name.isTextual() ? new MetricGoal(name.textValue(), goal, target) : null;
    }

    private static Integer runCap(JsonNode node, Problems problems) {
        if (node == null) {
            return null;
        }
        Object value = NodeValues.toJava(node);
        if (!Values.isIntegral(value) || ((Number) value).doubleValue() < 1
                || ((Number) value).doubleValue() > Integer.MAX_VALUE) {
            problems.add("run_cap", Values.show(value) + " is not allowed: run_cap must be an integer >= 1");
            return null;
        }
        return ((Number) value).intValue();
    }

    private static String optionalString(JsonNode root, String key, Problems problems) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(key, NodeValues.describe(node) + " is not a string");
            return null;
        }
        return node.textValue();
    }
}
