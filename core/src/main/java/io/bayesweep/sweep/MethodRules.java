package io.bayesweep.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * What each search method requires of a whole sweep, shared by the parser (so that validate reports it) and
 * the expander (which may get a spec built in code).
 */
final class MethodRules {
    private MethodRules() {
    }

    static List<SweepProblem> problems(SweepSpec spec) {
        List<SweepProblem> problems = new ArrayList<>();
        if (spec.method() == SweepMethod.GRID) {
            for (SweptParameter parameter : spec.sweptParameters()) {
                DistributionKind kind = parameter.distribution().kind();
                if (kind == DistributionKind.CATEGORICAL_W_PROBABILITIES) {
                    problems.add(new SweepProblem(parameter.path() + ".probabilities", "grid search tries every value;"
                            + " probabilities only weight random draws (remove them or use method random)"));
                } else if (!kind.gridEnumerable()) {
                    problems.add(new SweepProblem(parameter.path(), "grid search cannot enumerate distribution '"
                            + kind.wandbName() + "' (use values, int_uniform or q_uniform)"));
                }
            }
        } else if (spec.method() == SweepMethod.RANDOM && spec.runCap() == null) {
            problems.add(new SweepProblem("run_cap", "missing: random search needs run_cap, the number of trials"
                    + " to draw (bayesweep runs a finite number of trials)"));
        }
        if (problems.isEmpty()) {
            long count = trialCount(spec);
            if (count > SweepExpander.MAX_TRIALS) {
                String where = spec.method() == SweepMethod.GRID && (spec.runCap() == null || spec.runCap() > count)
                        ? "parameters" : "run_cap";
                problems.add(new SweepProblem(where, "the sweep has " + count + " trials"
                        + (spec.method() == SweepMethod.GRID && where.equals("parameters") ? " (the grid's size)" : "")
                        + ", more than the limit of " + SweepExpander.MAX_TRIALS
                        + (where.equals("parameters") ? " (sweep fewer values or set run_cap)" : "")));
            }
        }
        return problems;
    }

    /** Trials the sweep runs: the grid's size or run_cap, whichever is smaller; saturates instead of overflowing. */
    static long trialCount(SweepSpec spec) {
        if (spec.method() == SweepMethod.RANDOM) {
            return spec.runCap() == null ? 0 : spec.runCap();
        }
        long size = 1;
        for (SweptParameter parameter : spec.sweptParameters()) {
            long values = parameter.distribution().gridSize();
            size = values != 0 && size > Long.MAX_VALUE / values ? Long.MAX_VALUE : size * values;
        }
        return spec.runCap() == null ? size : Math.min(size, spec.runCap());
    }
}
