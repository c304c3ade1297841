package io.bayesweep.sweep;

/**
 * The sweep's {@code metric} section: which logged metric ranks the trials.
 *
 * @param goal   {@code minimize} or {@code maximize} ({@code minimize} when the file leaves it out, as in W&B)
 * @param target the value at which the sweep counts as done; null when not given
 */
public record MetricGoal(String name, String goal, Double target) {
    public static final String MINIMIZE = "minimize";
    public static final String MAXIMIZE = "maximize";

    public boolean maximize() {
        return MAXIMIZE.equals(goal);
    }
}
