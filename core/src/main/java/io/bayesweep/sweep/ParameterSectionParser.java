package io.bayesweep.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a {@code parameters} section and its nested groups. A training parameter may appear once in the
 * whole sweep, whatever the nesting: trials are flattened for training, so a second one would be ambiguous.
 */
final class ParameterSectionParser {
    /** W&B's rule for parameter names (propertyNames in its schema). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private final Problems problems;
    private final SweepMethod method;
    private final Map<String, String> trainingNamesSeenAt = new HashMap<>();

    /** @param method the sweep's method, null when it is itself invalid (method-specific checks are skipped) */
    ParameterSectionParser(Problems problems, SweepMethod method) {
        this.problems = problems;
        this.method = method;
    }

    List<ParameterNode> parseTopLevel(JsonNode node) {
        if (node == null) {
            problems.add("parameters", "missing: a sweep needs a parameters section naming what to sweep");
            return List.of();
        }
        return parseSection(node, "parameters");
    }

    private List<ParameterNode> parseSection(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.add(path, "must be a mapping of parameter names to specs, found " + NodeValues.describe(node));
            return List.of();
        }
        if (node.isEmpty()) {
            problems.add(path, "must name at least one parameter");
            return List.of();
        }
        List<ParameterNode> nodes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            ParameterNode parsed = parseEntry(entry.getKey(), entry.getValue(), path + "." + entry.getKey());
            if (parsed != null) {
                nodes.add(parsed);
            }
        }
        return nodes;
    }

    private ParameterNode parseEntry(String name, JsonNode spec, String path) {
        if (!spec.isObject()) {
            problems.add(path, "a parameter spec must be a mapping such as {value: 0.1} or {values: [0.1, 1.0]}, found "
                    + NodeValues.describe(spec));
            return null;
        }
        if (spec.has("parameters")) {
            return parseGroup(name, spec, path);
        }
        ParameterInfo info = TrainingParameters.find(name).orElse(null);
        if (info == null) {
            problems.add(path, TrainingParameters.unknownNameMessage(name));
        } else if (trainingNamesSeenAt.containsKey(name)) {
            problems.add(path, "training parameter '" + name + "' is already set at " + trainingNamesSeenAt.get(name)
                    + " (each training parameter may appear once in a sweep, at any nesting depth)");
        } else {
            trainingNamesSeenAt.put(name, path);
        }
        Distribution distribution = new DistributionSpecParser(problems).parse(spec, path);
        if (distribution == null || info == null) {
            return null;
        }
        int before = problems.size();
        new ParameterValueChecker(problems, method).check(info, distribution, path);
        return problems.size() == before ? new SweptParameter(name, path, distribution) : null;
    }

    private ParameterNode parseGroup(String name, JsonNode spec, String path) {
        if (!NAME.matcher(name).matches()) {
            problems.add(path, "group name '" + name + "' must match " + NAME.pattern() + " (W&B's rule)");
        }
        List<String> extra = new ArrayList<>();
        spec.fieldNames().forEachRemaining(key -> {
            if (!key.equals("parameters")) {
                extra.add("'" + key + "'");
            }
        });
        if (!extra.isEmpty()) {
            problems.add(path, "a parameter group holds only 'parameters'; remove " + String.join(", ", extra));
        }
        List<ParameterNode> children = parseSection(spec.get("parameters"), path + ".parameters");
        return new ParameterGroup(name, path, children);
    }
}
