package io.bayesweep.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One training parameter a trial understands.
 *
 * @param allowed      the allowed values in words, for docs and help
 * @param defaultValue what a trial gets when the sweep does not set it
 * @param doc          one line on what it does
 * @param range        the allowed numbers, for FLOAT and INT; null otherwise
 * @param choices      the allowed strings for STRING, the allowed layer groups for LAYER_LIST; empty otherwise
 */
public record ParameterInfo(String name, ParameterType type, String allowed, Object defaultValue, String doc,
                            NumericRange range, List<String> choices) {
    /** The {@code bayesian_layers} spelling of "no Bayesian layers". */
    public static final String NO_LAYERS = "none";

    public ParameterInfo {
        choices = List.copyOf(choices);
    }

    /**
     * Why the value is not allowed, as {@code "<value> is out of range: kl_weight must be >= 0"}; null when it is
     * allowed.
     */
    public String problemWith(Object value) {
        String shown = Values.show(value);
        return switch (type) {
            case FLOAT -> !Values.isNumber(value)
                    ? shown + " is not a number: " + name + " is a float"
                    : !Double.isFinite(((Number) value).doubleValue())
                    ? shown + " is not a finite number: " + name + " is a float"
                    : rangeProblem(shown, ((Number) value).doubleValue());
            case INT -> !Values.isNumber(value)
                    ? shown + " is not a number: " + name + " is an int"
                    : !Values.isIntegral(value)
                    ? shown + " is not an integer: " + name + " is an int"
                    : rangeProblem(shown, ((Number) value).doubleValue());
            case STRING -> stringProblem(value, shown);
            case LAYER_LIST -> layerListProblem(value, shown);
        };
    }

    /** Range check of a number shown as {@code shown} (which may be a derived value such as "exp(max) = 2.7"). */
    public String rangeProblem(String shown, double value) {
        if (range == null || range.contains(value)) {
            return null;
        }
        return shown + " is out of range: " + name + " " + range.describe(type);
    }

    /** The value as trials carry it: Integer for ints, Double for floats, String, List of String. */
    public Object canonical(Object value) {
        return switch (type) {
            case FLOAT -> ((Number) value).doubleValue();
            case INT -> (int) Math.round(((Number) value).doubleValue());
            case STRING -> value;
            case LAYER_LIST -> value instanceof List<?> list ? List.copyOf(list.stream().map(String::valueOf).toList())
                    : value;
        };
    }

    private String stringProblem(Object value, String shown) {
        if (!(value instanceof String s)) {
            return shown + " is not a string: " + name + " is one of " + String.join(", ", choices);
        }
        if (!choices.contains(s)) {
            return shown + " is not allowed: " + name + " must be one of " + String.join(", ", choices)
                    + Suggestions.didYouMean(s, choices);
        }
        return null;
    }

    private String layerListProblem(Object value, String shown) {
        String takes = name + " takes a list of layer groups from {" + String.join(", ", choices) + "}, or " + NO_LAYERS;
        if (NO_LAYERS.equals(value)) {
            return null;
        }
        if (value instanceof String s) {
            String hint = choices.contains(s) ? " (write [" + s + "])" : Suggestions.didYouMean(s, choices);
            return shown + " is not allowed: " + takes + hint;
        }
        if (!(value instanceof List<?> list)) {
            return shown + " is not allowed: " + takes;
        }
        if (list.isEmpty()) {
            return "[] is not allowed: " + name + " must not be empty (write " + NO_LAYERS + " for no Bayesian layers)";
        }
        Set<Object> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Object group : list) {
            if (!(group instanceof String g) || !choices.contains(g)) {
                String typed = String.valueOf(group);
                problems.add("'" + typed + "' is not a layer group" + Suggestions.didYouMean(typed, choices));
            } else if (!seen.add(g)) {
                problems.add("'" + g + "' is listed twice");
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        return shown + " is not allowed: " + String.join("; ", problems) + "; " + takes;
    }
}
