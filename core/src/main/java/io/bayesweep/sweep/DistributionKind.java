package io.bayesweep.sweep;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * W&B's parameter distributions that bayesweep implements, with the keys each accepts (W&B's schema
 * allows no other keys in a parameter spec, see wandb/sweeps src/sweeps/config/schema.json).
 */
public enum DistributionKind {
    CONSTANT("constant", "value"),
    CATEGORICAL("categorical", "values"),
    CATEGORICAL_W_PROBABILITIES("categorical_w_probabilities", "values", "probabilities"),
    INT_UNIFORM("int_uniform", "min", "max"),
    UNIFORM("uniform", "min", "max"),
    Q_UNIFORM("q_uniform", "min", "max", "q"),
    LOG_UNIFORM("log_uniform", "min", "max"),
    LOG_UNIFORM_VALUES("log_uniform_values", "min", "max"),
    Q_LOG_UNIFORM("q_log_uniform", "min", "max", "q"),
    Q_LOG_UNIFORM_VALUES("q_log_uniform_values", "min", "max", "q"),
    INV_LOG_UNIFORM("inv_log_uniform", "min", "max"),
    INV_LOG_UNIFORM_VALUES("inv_log_uniform_values", "min", "max"),
    NORMAL("normal", "mu", "sigma"),
    Q_NORMAL("q_normal", "mu", "sigma", "q"),
    LOG_NORMAL("log_normal", "mu", "sigma"),
    Q_LOG_NORMAL("q_log_normal", "mu", "sigma", "q");

    /** Distributions W&B has and bayesweep does not implement. */
    public static final List<String> UNSUPPORTED_WANDB = List.of("beta", "q_beta");

    private final String wandbName;
    private final Set<String> keys;

    DistributionKind(String wandbName, String... keys) {
        this.wandbName = wandbName;
        this.keys = new LinkedHashSet<>();
        this.keys.add("distribution");
        this.keys.addAll(Arrays.asList(keys));
    }

    /** The name used in sweep files. */
    public String wandbName() {
        return wandbName;
    }

    /** Every key a spec of this kind may hold, {@code distribution} included. */
    public Set<String> keys() {
        return keys;
    }

    public boolean quantized() {
        return keys.contains("q");
    }

    /** W&B's grid search turns exactly these into discrete values; it refuses the rest (probabilities included). */
    public boolean gridEnumerable() {
        return this == CONSTANT || this == CATEGORICAL || this == INT_UNIFORM || this == Q_UNIFORM;
    }

    public static Optional<DistributionKind> byName(String name) {
        return Arrays.stream(values()).filter(k -> k.wandbName.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(DistributionKind::wandbName).toList();
    }
}
