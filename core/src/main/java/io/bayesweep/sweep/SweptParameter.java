package io.bayesweep.sweep;

/** A training parameter and the distribution its trial values come from. */
public record SweptParameter(String name, String path, Distribution distribution) implements ParameterNode {
}
