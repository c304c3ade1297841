package io.bayesweep.report;

import io.bayesweep.model.EvalSampling;
import io.bayesweep.model.emoji.Subjects;
import io.bayesweep.model.nn.UNet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The list of runs of a reproduction: a built-in default ({@link #defaultPlan}) or a plan file.
 *
 * <p>Plan file: tab-separated (one tab between two cells; a line without any tab is split at runs of spaces),
 * UTF-8.
 * {@code #} starts a comment line, blank lines are skipped. The first other line is the header, naming
 * columns of {@link RunSpec#COLUMNS} in any order; {@code name} is required, every other column may be left
 * out, and a cell may be empty or {@code -}: it then takes {@link RunSpec#DEFAULTS}. {@code bayesian_layers}
 * is {@code none} or a comma-separated list of layer groups (conv, attn, norm, time, emb, lora_b).
 * Every error is an {@link IllegalArgumentException} naming the source, line and column.
 *
 * <pre>
 * name              subject  lr     bayesian_layers  kl_weight  prior_std  steps  eval_every
 * wink-base-lr3e-4  wink     3e-4   none             -          -          2000   20
 * wink-bnn-kl1      wink     3e-4   attn,conv        1          0.01       2000   20
 * </pre>
 */
public final class Plan {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private Plan() {
    }

    /**
     * The default plan, per subject: baselines at lr 1e-4, 3e-4 and 1e-3, then BNN runs (bayesian_layers
     * [attn, conv], init_std 1e-3) at {@code bnnLr} with kl_weight 0 / prior_std 0.01, kl_weight 1 / prior_std
     * 0.01 and kl_weight 1 / prior_std 0.001. One shot, method full, batch 8, 2000 steps, eval every 20,
     * checkpoint every 250, seed 1.
     */
    public static List<RunSpec> defaultPlan(List<String> subjects, double bnnLr) {
        List<RunSpec> plan = new ArrayList<>();
        for (String subject : subjects) {
            for (double lr : new double[] {1e-4, 3e-4, 1e-3}) {
                plan.add(spec(subject + "-base-lr" + RunSpec.num(lr), subject, lr, List.of(), 0, 0.01));
            }
            double[][] bnn = {{0, 0.01}, {1, 0.01}, {1, 0.001}};
            for (double[] kp : bnn) {
                plan.add(spec(subject + "-bnn-lr" + RunSpec.num(bnnLr) + "-kl" + RunSpec.num(kp[0]) + "-p"
                        + RunSpec.num(kp[1]), subject, bnnLr, List.of("attn", "conv"), kp[0], kp[1]));
            }
        }
        validate(plan, "default plan");
        return plan;
    }

    private static RunSpec spec(String name, String subject, double lr, List<String> groups, double kl, double prior) {
        Map<String, String> cells = new HashMap<>(RunSpec.DEFAULTS);
        cells.put("name", name);
        cells.put("subject", subject);
        cells.put("lr", Double.toString(lr));
        cells.put("bayesian_layers", groups.isEmpty() ? "none" : String.join(",", groups));
        cells.put("kl_weight", Double.toString(kl));
        cells.put("prior_std", Double.toString(prior));
        return fromCells(cells, "default plan", 0);
    }

    public static List<RunSpec> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    public static List<RunSpec> parse(String text, String source) {
        try {
            return parse(new StringReader(text), source);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static List<RunSpec> parse(Reader reader, String source) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        List<String> header = null;
        List<RunSpec> plan = new ArrayList<>();
        int lineNo = 0;
        for (String line; (line = in.readLine()) != null; ) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<String> cells = split(line.contains("\t") ? line : trimmed);
            if (header == null) {
                header = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (String c : cells) {
                    String col = c.toLowerCase(Locale.ROOT);
                    if (!RunSpec.COLUMNS.contains(col)) {
                        throw error(source, lineNo, col, "unknown column (known: " + String.join(", ", RunSpec.COLUMNS) + ")");
                    }
                    if (!seen.add(col)) {
                        throw error(source, lineNo, col, "the column appears twice in the header");
                    }
                    header.add(col);
                }
                if (!header.contains("name")) {
                    throw error(source, lineNo, null, "the header must name the column 'name'");
                }
                continue;
            }
            if (cells.size() != header.size()) {
                throw error(source, lineNo, null, cells.size() + " cells, but the header has " + header.size() + " columns");
            }
            Map<String, String> values = new HashMap<>(RunSpec.DEFAULTS);
            for (int i = 0; i < header.size(); i++) {
                String cell = cells.get(i);
                if (!cell.isEmpty() && !cell.equals("-")) {
                    values.put(header.get(i), cell);
                }
            }
            if (!values.containsKey("name")) {
                throw error(source, lineNo, "name", "the run needs a name");
            }
            plan.add(fromCells(values, source, lineNo));
        }
        if (header == null) {
            throw error(source, 0, null, "empty plan: expected a header row naming at least 'name'");
        }
        if (plan.isEmpty()) {
            throw error(source, 0, null, "the plan lists no run");
        }
        validate(plan, source);
        return plan;
    }

    private static List<String> split(String line) {
        String[] parts = line.contains("\t") ? line.split("\t", -1) : line.split(" +");
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            out.add(p.strip());
        }
        return out;
    }

    private static RunSpec fromCells(Map<String, String> v, String source, int line) {
        String name = v.get("name");
        if (!NAME.matcher(name).matches()) {
            throw error(source, line, "name", "'" + name + "' is not a folder name: use letters, digits, '.', '_', '-'");
        }
        String subject = v.get("subject");
        if (Subjects.indexOf(subject) < 0) {
            throw error(source, line, "subject", "unknown subject '" + subject + "' (known: " + Subjects.names() + ")");
        }
        String method = v.get("method");
        if (!method.equals("full") && !method.equals("lora")) {
            throw error(source, line, "method", "must be full or lora, got '" + method + "'");
        }
        String layers = v.get("bayesian_layers").strip();
        List<String> groups = layers.equalsIgnoreCase("none") ? List.of()
                : Arrays.stream(layers.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String g : groups) {
            if (!UNet.GROUP_NAMES.contains(g)) {
                throw error(source, line, "bayesian_layers", "unknown layer group '" + g + "' (known: none, "
                        + String.join(", ", UNet.GROUP_NAMES) + ")");
            }
        }
        RunSpec spec = new RunSpec(name, subject, positiveInt(v, "shots", source, line), method,
                positive(v, "lr", source, line), groups, nonNegative(v, "kl_weight", source, line),
                positive(v, "prior_std", source, line), positive(v, "init_std", source, line),
                positiveInt(v, "mc_samples", source, line), positiveInt(v, "steps", source, line),
                positiveInt(v, "batch_size", source, line), positiveInt(v, "eval_every", source, line),
                (long) integer(v, "seed", source, line), (int) integer(v, "checkpoint_every", source, line),
                nonNegative(v, "prior_preservation", source, line), positiveInt(v, "lora_rank", source, line),
                evalSampler(v, source, line), (int) integer(v, "early_eval_every", source, line),
                (int) integer(v, "early_eval_until", source, line), (int) integer(v, "warmup_steps", source, line));
        if (spec.shots() > Subjects.MAX_SHOTS) {
            throw error(source, line, "shots", "at most " + Subjects.MAX_SHOTS + " (one image per vendor)");
        }
        if (spec.warmupSteps() < 0) {
            throw error(source, line, "warmup_steps", "must be >= 0 (0 = no warm-up)");
        }
        if (spec.earlyEvalEvery() < 0 || spec.earlyEvalUntil() < 0) {
            throw error(source, line, spec.earlyEvalEvery() < 0 ? "early_eval_every" : "early_eval_until",
                    "must be >= 0 (0 = no early eval schedule)");
        }
        if (spec.checkpointEvery() < 0) {
            throw error(source, line, "checkpoint_every", "must be >= 0 (0 = never)");
        }
        return spec;
    }

    private static EvalSampling evalSampler(Map<String, String> v, String source, int line) {
        try {
            return EvalSampling.parse(v.get("eval_sampler"));
        } catch (IllegalArgumentException e) {
            throw error(source, line, "eval_sampler", e.getMessage());
        }
    }

    private static void validate(List<RunSpec> plan, String source) {
        Set<String> names = new HashSet<>();
        for (RunSpec s : plan) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException(source + ": run name '" + s.name() + "' appears twice");
            }
        }
    }

    private static double number(Map<String, String> v, String col, String source, int line) {
        String cell = v.get(col);
        try {
            double d = Double.parseDouble(cell);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw error(source, line, col, "not a number: '" + cell + "'");
        }
    }

    private static double positive(Map<String, String> v, String col, String source, int line) {
        double d = number(v, col, source, line);
        if (!(d > 0)) {
            throw error(source, line, col, "must be > 0, got " + v.get(col));
        }
        return d;
    }

    private static double nonNegative(Map<String, String> v, String col, String source, int line) {
        double d = number(v, col, source, line);
        if (d < 0) {
            throw error(source, line, col, "must be >= 0, got " + v.get(col));
        }
        return d;
    }

    private static long integer(Map<String, String> v, String col, String source, int line) {
        String cell = v.get(col);
        try {
            return Long.parseLong(cell);
        } catch (NumberFormatException e) {
            throw error(source, line, col, "not an integer: '" + cell + "'");
        }
    }

    private static int positiveInt(Map<String, String> v, String col, String source, int line) {
        long n = integer(v, col, source, line);
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw error(source, line, col, "must be a positive integer, got " + v.get(col));
        }
        return (int) n;
    }

    private static IllegalArgumentException error(String source, int line, String column, String message) {
        return new IllegalArgumentException(source + (line > 0 ? ": line " + line : "")
                + (column != null ? ", column '" + column + "'" : "") + ": " + message);
    }

    /** The plan as a plan file (every column, tab-separated); {@link #parse} reads it back to equal specs. */
    public static String toTsv(List<RunSpec> plan) {
        StringBuilder b = new StringBuilder(String.join("\t", RunSpec.COLUMNS)).append('\n');
        for (RunSpec s : plan) {
            b.append(String.join("\t", new LinkedHashMap<>(s.cells()).values())).append('\n');
        }
        return b.toString();
    }
}
