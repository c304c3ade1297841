package io.bayesweep.sweep;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a document, so that one validation run reports them all. */
final class Problems {
    private final List<SweepProblem> problems = new ArrayList<>();

    void add(String path, String message) {
        problems.add(new SweepProblem(path, message));
    }

    void addAll(List<SweepProblem> more) {
        problems.addAll(more);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    int size() {
        return problems.size();
    }

    void throwIfAny() throws SweepValidationException {
        if (!problems.isEmpty()) {
            throw new SweepValidationException(problems);
        }
    }
}
