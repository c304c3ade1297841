package io.bayesweep.sweep;

/** The value types training parameters take. */
public enum ParameterType {
    FLOAT("a float"),
    INT("an int"),
    STRING("a string"),
    LAYER_LIST("a list of layer groups");

    private final String description;

    ParameterType(String description) {
        this.description = description;
    }

    /** For messages: "kl_weight is a float". */
    public String description() {
        return description;
    }

    public boolean numeric() {
        return this == FLOAT || this == INT;
    }
}
