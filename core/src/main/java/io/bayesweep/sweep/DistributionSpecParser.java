package io.bayesweep.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses one parameter spec into a {@link Distribution} following W&B's schema: which distribution a spec
 * means when it names none, which keys each distribution takes, and the defaults of q, mu and sigma.
 * Checks against the training parameter's type and range are {@link ParameterValueChecker}'s.
 */
final class DistributionSpecParser {
    private static final double PROBABILITY_TOLERANCE = 1e-6;
    /** W&B's schema defaults. */
    private static final Double DEFAULT_Q = 1.0;
    private static final double DEFAULT_MU = 0.0;
    private static final double DEFAULT_SIGMA = 1.0;

    private final Problems problems;

    DistributionSpecParser(Problems problems) {
        this.problems = problems;
    }

    /** The distribution, or null after adding the problems that prevent building it. */
    Distribution parse(JsonNode spec, String path) {
        DistributionKind kind = kind(spec, path);
        if (kind == null) {
            return null;
        }
        int before = problems.size();
        checkKeys(spec, path, kind);
        Distribution distribution = switch (kind) {
            case CONSTANT -> constant(spec, path);
            case CATEGORICAL, CATEGORICAL_W_PROBABILITIES -> categorical(spec, path, kind);
            case INT_UNIFORM -> intUniform(spec, path);
            case NORMAL, Q_NORMAL, LOG_NORMAL, Q_LOG_NORMAL -> gaussian(spec, path, kind);
            default -> bounded(spec, path, kind);
        };
        return problems.size() == before ? distribution : null;
    }

    private DistributionKind kind(JsonNode spec, String path) {
        JsonNode named = spec.get("distribution");
        if (named != null) {
            if (!named.isTextual()) {
                problems.add(path + ".distribution", NodeValues.describe(named) + " is not a distribution name; supported: "
                        + String.join(", ", DistributionKind.names()));
                return null;
            }
            String name = named.textValue();
            DistributionKind kind = DistributionKind.byName(name).orElse(null);
            if (kind == null) {
                String what = DistributionKind.UNSUPPORTED_WANDB.contains(name)
                        ? "distribution '" + name + "' is not supported by bayesweep"
                        : "unknown distribution '" + name + "'" + Suggestions.didYouMean(name, DistributionKind.names());
                problems.add(path + ".distribution", what + "; supported: " + String.join(", ", DistributionKind.names()));
            }
            return kind;
        }
        // W&B infers the distribution from the keys present (the first schema of its anyOf that matches).
        if (spec.has("value")) {
            return DistributionKind.CONSTANT;
        }
        if (spec.has("values")) {
            return spec.has("probabilities") ? DistributionKind.CATEGORICAL_W_PROBABILITIES : DistributionKind.CATEGORICAL;
        }
        if (spec.has("min") || spec.has("max")) {
            boolean integers = isIntegerNode(spec.get("min")) && isIntegerNode(spec.get("max"));
            return integers ? DistributionKind.INT_UNIFORM : DistributionKind.UNIFORM;
        }
        List<String> keys = new ArrayList<>();
        spec.fieldNames().forEachRemaining(keys::add);
        problems.add(path, "a parameter spec needs value, values, min and max, or distribution"
                + (keys.isEmpty() ? "; it is empty" : "; found only " + String.join(", ", keys)));
        return null;
    }

    private void checkKeys(JsonNode spec, String path, DistributionKind kind) {
        List<String> extra = new ArrayList<>();
        spec.fieldNames().forEachRemaining(key -> {
            if (!kind.keys().contains(key)) {
                extra.add("'" + key + "'");
            }
        });
        if (extra.isEmpty()) {
            return;
        }
        String hint = kind == DistributionKind.CATEGORICAL && spec.has("probabilities")
                ? " (with probabilities, leave distribution out or write categorical_w_probabilities)" : "";
        problems.add(path, (extra.size() == 1 ? "key " + extra.get(0) + " does not" : "keys " + String.join(", ", extra)
                + " do not") + " belong in a '" + kind.wandbName() + "' parameter (allowed: "
                + String.join(", ", kind.keys()) + ")" + hint);
    }

    private Distribution constant(JsonNode spec, String path) {
        JsonNode value = required(spec, "value", path);
        if (value == null) {
            return null;
        }
        if (value.isNull() || value.isObject()) {
            problems.add(path + ".value", NodeValues.describe(value) + " is not a parameter value");
            return null;
        }
        return new ConstantValue(NodeValues.toJava(value));
    }

    private Distribution categorical(JsonNode spec, String path, DistributionKind kind) {
        JsonNode values = required(spec, "values", path);
        if (values == null) {
            return null;
        }
        if (!values.isArray() || values.isEmpty()) {
            problems.add(path + ".values", values.isArray() ? "must not be empty: list at least one value"
                    : "must be a list, found " + NodeValues.describe(values) + " (for a single value write value:)");
            return null;
        }
        List<Object> list = new ArrayList<>();
        boolean allValues = true;
        for (int i = 0; i < values.size(); i++) {
            JsonNode item = values.get(i);
            if (item.isNull() || item.isObject()) {
                problems.add(path + ".values[" + i + "]", NodeValues.describe(item) + " is not a parameter value");
                allValues = false;
            }
            list.add(NodeValues.toJava(item));
        }
        List<Double> probabilities = kind == DistributionKind.CATEGORICAL_W_PROBABILITIES
                ? probabilities(spec, path, values.size()) : null;
        if (!allValues || (kind == DistributionKind.CATEGORICAL_W_PROBABILITIES && probabilities == null)) {
            return null;
        }
        return new CategoricalValues(list, probabilities);
    }

    private List<Double> probabilities(JsonNode spec, String path, int valueCount) {
        JsonNode node = required(spec, "probabilities", path);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            problems.add(path + ".probabilities", "must be a list of numbers, found " + NodeValues.describe(node));
            return null;
        }
        List<Double> probabilities = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode p = node.get(i);
            if (!p.isNumber() || !(p.doubleValue() >= 0) || Double.isInfinite(p.doubleValue())) {
                problems.add(path + ".probabilities[" + i + "]", NodeValues.describe(p) + " is not a probability (a number >= 0)");
                return null;
            }
            probabilities.add(p.doubleValue());
        }
        if (probabilities.size() != valueCount) {
            problems.add(path + ".probabilities", "has " + probabilities.size() + " entries but values has "
                    + valueCount + "; give one probability per value");
            return null;
        }
        double sum = probabilities.stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(sum - 1.0) > PROBABILITY_TOLERANCE) {
            problems.add(path + ".probabilities", "sum to " + sum + ", not 1");
            return null;
        }
        return probabilities;
    }

    private Distribution intUniform(JsonNode spec, String path) {
        JsonNode min = required(spec, "min", path);
        JsonNode max = required(spec, "max", path);
        if (min == null || max == null) {
            return null;
        }
        boolean ok = true;
        for (Map.Entry<String, JsonNode> bound : Map.of("min", min, "max", max).entrySet()) {
            if (!isIntegerNode(bound.getValue()) || !bound.getValue().canConvertToLong()) {
                problems.add(path + "." + bound.getKey(), NodeValues.describe(bound.getValue())
                        + " is not an integer: int_uniform bounds must be integers");
                ok = false;
            }
        }
        if (!ok || !minBelowMax(path, min.longValue(), max.longValue(), min, max)) {
            return null;
        }
        return new IntUniform(min.longValue(), max.longValue());
    }

    private Distribution bounded(JsonNode spec, String path, DistributionKind kind) {
        Number min = number(required(spec, "min", path), path + ".min");
        Number max = number(required(spec, "max", path), path + ".max");
        Number q = kind.quantized() ? positiveQ(spec, path) : null;
        if (min == null || max == null || (kind.quantized() && q == null)) {
            return null;
        }
        if (!minBelowMax(path, min.doubleValue(), max.doubleValue(), spec.get("min"), spec.get("max"))) {
            return null;
        }
        boolean valueBounds = kind == DistributionKind.LOG_UNIFORM_VALUES || kind == DistributionKind.Q_LOG_UNIFORM_VALUES
                || kind == DistributionKind.INV_LOG_UNIFORM_VALUES;
        if (valueBounds && min.doubleValue() <= 0) {
            problems.add(path + ".min", Values.show(min) + " must be > 0: " + kind.wandbName()
                    + " bounds are values on a log scale (for exponents use " + kind.wandbName().replace("_values", "")
                    + ")");
            return null;
        }
        return new BoundedDistribution(kind, min, max, q);
    }

    private Distribution gaussian(JsonNode spec, String path, DistributionKind kind) {
        Number mu = spec.has("mu") ? number(spec.get("mu"), path + ".mu") : DEFAULT_MU;
        Number sigma = spec.has("sigma") ? number(spec.get("sigma"), path + ".sigma") : DEFAULT_SIGMA;
        Number q = kind.quantized() ? positiveQ(spec, path) : null;
        if (mu == null || sigma == null || (kind.quantized() && q == null)) {
            return null;
        }
        if (sigma.doubleValue() <= 0) {
            problems.add(path + ".sigma", Values.show(sigma) + " must be > 0: sigma is a standard deviation");
            return null;
        }
        return new GaussianDistribution(kind, mu.doubleValue(), sigma.doubleValue(), q);
    }

    private Number positiveQ(JsonNode spec, String path) {
        if (!spec.has("q")) {
            return DEFAULT_Q;
        }
        Number q = number(spec.get("q"), path + ".q");
        if (q != null && q.doubleValue() <= 0) {
            problems.add(path + ".q", Values.show(q) + " must be > 0: q is the step that values are rounded to");
            return null;
        }
        return q;
    }

    private boolean minBelowMax(String path, double min, double max, JsonNode minNode, JsonNode maxNode) {
        // W&B refuses min == max too (validate_min_max); a single value is written value:.
        if (min >= max) {
            problems.add(path, "min " + NodeValues.describe(minNode) + " is not less than max "
                    + NodeValues.describe(maxNode) + (min == max ? " (for a single value write value:)" : ""));
            return false;
        }
        return true;
    }

    private JsonNode required(JsonNode spec, String key, String path) {
        JsonNode node = spec.get(key);
        if (node == null) {
            problems.add(path, "missing key '" + key + "'");
        }
        return node;
    }

    /** The number in the node, or null after a problem; absent nodes were reported by {@link #required}. */
    private Number number(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        Object value = NodeValues.toJava(node);
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            problems.add(path, Values.show(value) + " is not a number");
            return null;
        }
        return n;
    }

    private static boolean isIntegerNode(JsonNode node) {
        return node != null && node.isIntegralNumber();
    }
}
