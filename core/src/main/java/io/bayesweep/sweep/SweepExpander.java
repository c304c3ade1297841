package io.bayesweep.sweep;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a sweep into its trials. Grid: the cartesian product of the parameters' values in declaration order
 * (nested groups flattened in place), the last parameter varying fastest, truncated to run_cap. Random:
 * run_cap draws, reproducible from the seed. Each trial is then checked as the worker will check it
 * ({@link TrainingParameters#resolve}), so that a bad trial fails the submission, not a run hours later.
 */
public final class SweepExpander {
    /** The most trials one sweep may have; a larger sweep is almost always a mistake in the file. */
    public static final int MAX_TRIALS = 1000;
    /** Enough to show the pattern without flooding the terminal. */
    private static final int MAX_TRIAL_PROBLEMS = 10;

    private SweepExpander() {
    }

    /**
     * @return one map per trial in declaration order, nested groups as nested maps; values are Integer (int
     * parameters), Double (float parameters), String, or List of String (bayesian_layers)
     */
    public static List<Map<String, Object>> expand(SweepSpec spec, long seed) throws SweepValidationException {
        List<SweepProblem> methodProblems = MethodRules.problems(spec);
        if (!methodProblems.isEmpty()) {
            throw new SweepValidationException(methodProblems);
        }
        List<SweptParameter> leaves = spec.sweptParameters();
        int count = (int) MethodRules.trialCount(spec);
        List<List<Object>> rows = spec.method() == SweepMethod.GRID ? gridRows(leaves, count)
                : randomRows(leaves, count, seed);
        List<Map<String, Object>> trials = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            trials.add(nest(spec.parameters(), row.iterator()));
        }
        checkTrials(trials);
        return trials;
    }

    private static List<List<Object>> gridRows(List<SweptParameter> leaves, int count) {
        List<List<Object>> rows = new ArrayList<>(count);
        for (long index = 0; index < count; index++) {
            Object[] row = new Object[leaves.size()];
            long rest = index;
            // Mixed-radix decoding: the last parameter is the fastest digit.
            for (int j = leaves.size() - 1; j >= 0; j--) {
                SweptParameter leaf = leaves.get(j);
                long size = leaf.distribution().gridSize();
                row[j] = canonical(leaf, leaf.distribution().gridValue(rest % size));
                rest /= size;
            }
            rows.add(List.of(row));
        }
        return rows;
    }

    private static List<List<Object>> randomRows(List<SweptParameter> leaves, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Object>> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<Object> row = new ArrayList<>(leaves.size());
            for (SweptParameter leaf : leaves) {
                row.add(canonical(leaf, leaf.distribution().sample(random)));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Trial values take the training parameter's type, so an int parameter never arrives as 3.0. */
    private static Object canonical(SweptParameter leaf, Object value) {
        return TrainingParameters.find(leaf.name()).map(info -> info.problemWith(value) == null
                ? info.canonical(value) : value).orElse(value);
    }

    private static Map<String, Object> nest(List<ParameterNode> nodes, Iterator<Object> values) {
        Map<String, Object> trial = new LinkedHashMap<>();
        for (ParameterNode node : nodes) {
            if (node instanceof ParameterGroup group) {
                trial.put(group.name(), nest(group.parameters(), values));
            } else {
                trial.put(node.name(), values.next());
            }
        }
        return trial;
    }

    private static void checkTrials(List<Map<String, Object>> trials) throws SweepValidationException {
        List<SweepProblem> problems = new ArrayList<>();
        int badTrials = 0;
        for (int i = 0; i < trials.size(); i++) {
            List<SweepProblem> trialProblems = TrialResolution.of(trials.get(i)).problems();
            if (trialProblems.isEmpty()) {
                continue;
            }
            badTrials++;
            for (SweepProblem problem : trialProblems) {
                if (problems.size() < MAX_TRIAL_PROBLEMS) {
                    problems.add(new SweepProblem("trials[" + i + "]." + problem.path(), problem.message()));
                }
            }
        }
        if (badTrials > 0) {
            problems.add(new SweepProblem("trials", badTrials + " of " + trials.size() + " trials "
                    + (badTrials == 1 ? "is" : "are") + " invalid"
                    + (problems.size() >= MAX_TRIAL_PROBLEMS ? " (the first problems are listed)" : "")));
            throw new SweepValidationException(problems);
        }
    }
}
