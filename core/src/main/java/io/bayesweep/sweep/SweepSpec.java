package io.bayesweep.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated sweep file.
 *
 * @param name        display name; null when the file has none
 * @param description free text; null when the file has none
 * @param metric      null when the file has no {@code metric} section
 * @param runCap      the most trials to run; null when not given (grid then runs every combination)
 * @param parameters  the {@code parameters} section in declaration order
 */
public record SweepSpec(String name, String description, SweepMethod method, MetricGoal metric, Integer runCap,
                        List<ParameterNode> parameters) {
    public SweepSpec {
        parameters = List.copyOf(parameters);
    }

    /** The swept training parameters, nested groups flattened, in declaration order. */
    public List<SweptParameter> sweptParameters() {
        List<SweptParameter> out = new ArrayList<>();
        collect(parameters, out);
        return out;
    }

    private static void collect(List<ParameterNode> nodes, List<SweptParameter> out) {
        for (ParameterNode node : nodes) {
            if (node instanceof SweptParameter p) {
                out.add(p);
            } else if (node instanceof ParameterGroup g) {
                collect(g.parameters(), out);
            }
        }
    }
}
