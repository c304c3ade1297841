package io.bayesweep.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live view of a sweep: one line per trial with a progress bar, its state, its corruption-stage detector
 * state and latest metrics.
 * On a terminal it redraws in place; otherwise (a pipe, a log file, CI) it prints only the lines
 * that changed, so the output stays readable as a log.
 */
final class SweepWatcher {
    static final List<String> WATCHED_METRICS = List.of("loss", "fidelity", "noise");
    private static final int BAR_WIDTH = 20;
    private static final int METRIC_WIDTH = 9;
    /** The longest detector state, RECOVERING. */
    private static final int STAGE_WIDTH = 10;
    private static final String ESC = "\u001b[";

    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final OrchestratorClient client;
    private final PrintWriter out;
    private final boolean ansi;
    private final Duration interval;
    private final Sleeper sleeper;

    private int linesOnScreen;
    private String lastHeader;
    private final Map<String, String> lastLines = new HashMap<>();

    SweepWatcher(OrchestratorClient client, PrintWriter out, boolean ansi, Duration interval) {
        this(client, out, ansi, interval, d -> Thread.sleep(d.toMillis()));
    }

    SweepWatcher(OrchestratorClient client, PrintWriter out, boolean ansi, Duration interval, Sleeper sleeper) {
        this.client = client;
        this.out = out;
        this.ansi = ansi;
        this.interval = interval;
        this.sleeper = sleeper;
    }

    /** Whether stdout is an interactive terminal, where redrawing in place makes sense. */
    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    /** Refreshes until the sweep is finished; returns its final trials. */
    List<TrialView> watch(String sweepId) {
        while (true) {
            SweepView sweep = client.sweep(sweepId);
            List<TrialView> trials = client.trials(sweepId);
            render(sweep, trials);
            if (sweep.finished()) {
                return trials;
            }
            try {
                sleeper.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted", 130);
            }
        }
    }

    void render(SweepView sweep, List<TrialView> trials) {
        String header = header(sweep);
        List<TrialView> sorted = trials.stream()
                .sorted(Comparator.comparing((TrialView t) -> t.index() == null ? Integer.MAX_VALUE : t.index()))
                .toList();
        List<String> lines = lines(sorted);
        if (ansi) {
            redraw(header, lines);
        } else {
            printChanges(header, sorted, lines);
        }
        out.flush();
    }

    private void redraw(String header, List<String> lines) {
        if (linesOnScreen > 0) {
            out.print(ESC + linesOnScreen + "A");
        }
        List<String> screen = new ArrayList<>();
        screen.add(header);
        screen.addAll(lines);
        for (String line : screen) {
            out.print("\r" + ESC + "2K" + line + "\n");
        }
        // Fewer lines than last time: clear what is left below.
        for (int i = screen.size(); i < linesOnScreen; i++) {
            out.print("\r" + ESC + "2K\n");
        }
        linesOnScreen = Math.max(screen.size(), linesOnScreen);
    }

    private void printChanges(String header, List<TrialView> trials, List<String> lines) {
        if (!header.equals(lastHeader)) {
            out.println(header);
            lastHeader = header;
        }
        for (int i = 0; i < trials.size(); i++) {
            String line = lines.get(i);
            if (!line.equals(lastLines.put(trials.get(i).id(), line))) {
                out.println(line);
            }
        }
    }

    static String header(SweepView sweep) {
        String name = sweep.name() == null || sweep.name().isBlank() ? "" : " " + sweep.name();
        return "sweep " + sweep.id() + name + ": " + sweep.state() + ", "
                + sweep.doneTrials() + "/" + sweep.totalTrials() + " trials done";
    }

    static List<String> lines(List<TrialView> trials) {
        int indexWidth = 1;
        int idWidth = 1;
        int progressWidth = 1;
        for (TrialView t : trials) {
            indexWidth = Math.max(indexWidth, String.valueOf(t.index()).length());
            idWidth = Math.max(idWidth, String.valueOf(t.id()).length());
            progressWidth = Math.max(progressWidth, steps(t).length());
        }
        List<String> lines = new ArrayList<>();
        for (TrialView t : trials) {
            StringBuilder line = new StringBuilder();
            line.append(pad(String.valueOf(t.index()), indexWidth, true)).append("  ")
                    .append(pad(t.id(), idWidth, false)).append("  ")
                    .append(bar(t)).append(' ')
                    .append(pad(steps(t), progressWidth, true)).append("  ")
                    .append(pad(t.state(), "STOPPED_EARLY".length(), false));
            if (t.stage() != null) {
                line.append("  stage ").append(pad(t.stage(), STAGE_WIDTH, false));
            }
            for (String metric : WATCHED_METRICS) {
                Double value = t.metricsOrEmpty().get(metric);
                if (value != null) {
                    // Fixed width, so that the columns do not jitter as values change between redraws.
                    line.append("  ").append(metric).append(' ').append(pad(Values.metric(value), METRIC_WIDTH, false));
                }
            }
            if (t.worker() != null && "RUNNING".equals(t.state())) {
                line.append("  ").append(t.worker());
            }
            if (t.reason() != null && !t.reason().isBlank() && !"RUNNING".equals(t.state())) {
                line.append("  (").append(t.reason()).append(')');
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    static String bar(TrialView t) {
        long step = t.step() == null ? 0 : t.step();
        long total = t.totalSteps() == null ? 0 : t.totalSteps();
        int filled = total <= 0 ? 0 : (int) Math.min(BAR_WIDTH, Math.max(0, step * BAR_WIDTH / total));
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    private static String steps(TrialView t) {
        return (t.step() == null ? "0" : t.step().toString()) + "/"
                + (t.totalSteps() == null ? "?" : t.totalSteps().toString());
    }

    private static String pad(String text, int width, boolean right) {
        String s = text == null ? Values.MISSING : text;
        String padding = " ".repeat(Math.max(0, width - s.length()));
        return right ? padding + s : s + padding;
    }
}
