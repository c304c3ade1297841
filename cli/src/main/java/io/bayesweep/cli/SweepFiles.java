package io.bayesweep.cli;

import io.bayesweep.sweep.SweepExpander;
import io.bayesweep.sweep.SweepParser;
import io.bayesweep.sweep.SweepProblem;
import io.bayesweep.sweep.SweepSpec;
import io.bayesweep.sweep.SweepValidationException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads, validates and expands a sweep file with the same code the orchestrator runs, so that
 * validate, expand and submit agree with what the server will accept and create.
 */
final class SweepFiles {
    private SweepFiles() {
    }

    record CheckedSweep(String text, SweepSpec spec, List<Map<String, Object>> trials) {
    }

    /** The problems of one file, each line already in the {@code FILE: path: message} form. */
    static final class InvalidSweepException extends Exception {
        private final List<String> lines;

        InvalidSweepException(List<String> lines) {
            super(String.join("\n", lines));
            this.lines = List.copyOf(lines);
        }

        List<String> lines() {
            return lines;
        }
    }

    static CheckedSweep read(Path file, long seed) throws InvalidSweepException {
        String label = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidSweepException(List.of(label + ": cannot read: no such file"));
        } catch (AccessDeniedException e) {
            throw new InvalidSweepException(List.of(label + ": cannot read: permission denied"));
        } catch (IOException e) {
            String why = Files.isDirectory(file) ? "is a directory"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InvalidSweepException(List.of(label + ": cannot read: " + why));
        }
        return check(label, text, seed);
    }

    static CheckedSweep check(String label, String text, long seed) throws InvalidSweepException {
        try {
            SweepSpec spec = SweepParser.parse(text);
            List<Map<String, Object>> trials = SweepExpander.expand(spec, seed);
            return new CheckedSweep(text, spec, trials);
        } catch (SweepValidationException e) {
            List<String> lines = new ArrayList<>();
            for (SweepProblem problem : e.problems()) {
                lines.add(problem.format(label));
            }
            if (lines.isEmpty()) {
                lines.add(label + ": " + e.getMessage());
            }
            throw new InvalidSweepException(lines);
        } catch (RuntimeException e) {
            // A parser bug or an unforeseen input must still end as one line, not a trace.
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidSweepException(List.of(label + ": " + message));
        }
    }
}
