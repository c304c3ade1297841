package io.bayesweep.sweep;

/** An entry of a {@code parameters} section: a training parameter or a group of them. */
public sealed interface ParameterNode permits SweptParameter, ParameterGroup {
    /** The key in the file: a training parameter name, or a group's free label. */
    String name();

    /** Where the entry sits in the file, e.g. {@code parameters.unet.parameters.kl_weight}. */
    String path();
}
