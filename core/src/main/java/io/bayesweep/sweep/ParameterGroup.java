package io.bayesweep.sweep;

import java.util.List;

/** A W&B nested parameter ({@code name: {parameters: ...}}); it becomes a nested object in each trial. */
public record ParameterGroup(String name, String path, List<ParameterNode> parameters) implements ParameterNode {
    public ParameterGroup {
        parameters = List.copyOf(parameters);
    }
}
