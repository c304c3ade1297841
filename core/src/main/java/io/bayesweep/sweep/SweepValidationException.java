package io.bayesweep.sweep;

import java.util.List;
import java.util.stream.Collectors;

/** A sweep that cannot be run, with every problem found (not just the first), so users fix them in one pass. */
public class SweepValidationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<SweepProblem> problems;

    public SweepValidationException(List<SweepProblem> problems) {
        super(problems.stream().map(SweepProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SweepValidationException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public SweepValidationException(SweepProblem problem) {
        this(List.of(problem));
    }

    public List<SweepProblem> problems() {
        return problems;
    }
}
