package io.bayesweep.report;

import io.bayesweep.detect.CorruptionWindow;
import io.bayesweep.detect.DetectorParams;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Charts and a summary of the stored reproduction runs ({@code DATA/<run>/metrics.csv}, written by
 * {@link ReproductionRunner}); it trains nothing.
 *
 * <p>Writes to {@code --figures} (names are stable, so docs can link them):
 * <ul>
 *   <li>{@code <subject>-fidelity.png}, {@code <subject>-noise.png}, {@code <subject>-sigma1.png},
 *       {@code <subject>-memorization.png}: one series per run of the subject, baselines solid, BNN runs
 *       dashed; the corruption detector's windows shaded on the fidelity and noise charts;</li>
 *   <li>{@code <subject>-overview.png}: the four in a 2 x 2 grid;</li>
 *   <li>{@code strip-<run>.png}: the run's samples at about 12 evenly spaced eval steps plus its key steps;</li>
 *   <li>{@code summary.md}: the table that is also written to {@code --summary} (default {@code DATA/summary.md}).</li>
 * </ul>
 *
 * <pre>
 * java -Djava.awt.headless=true -cp "report/target/classes:$(cat report/target/report-classpath.txt)" \
 *   io.bayesweep.report.ReproductionReport --data data/reproduction --figures docs/reproduction \
 *   [--summary FILE] [--strip-steps 12] [--strip-samples 1] [--only REGEX]
 * </pre>
 */
public final class ReproductionReport {
    private ReproductionReport() {
    }

    /** What a report wrote. */
    public record Result(List<RunData> runs, List<Path> files, String summary) {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        ReproductionRunner.Args a = new ReproductionRunner.Args(args);
        Path data = Path.of(a.get("data", "data/reproduction"));
        Path figures = Path.of(a.get("figures", "docs/reproduction"));
        Path summary = Path.of(a.get("summary", data.resolve("summary.md").toString()));
        int stripSteps = Integer.parseInt(a.get("strip-steps", "12"));
        int stripSamples = Integer.parseInt(a.get("strip-samples", "1"));
        Pattern only = Pattern.compile(a.get("only", ".*"));
        a.checkAllUsed();
        Result r = generate(data, figures, summary, stripSteps, stripSamples, only);
        for (Path p : r.files()) {
            System.out.println("wrote " + p);
        }
        System.out.print(r.summary());
    }

    /** Reads every run folder of {@code data} and writes the figures and the summary. */
    public static Result generate(Path data, Path figures, Path summaryFile, int stripSteps, int stripSamples)
            throws IOException {
        return generate(data, figures, summaryFile, stripSteps, stripSamples, Pattern.compile(".*"));
    }

    /** The same for the runs whose name {@code only} finds (e.g. to chart one experiment of a data folder). */
    public static Result generate(Path data, Path figures, Path summaryFile, int stripSteps, int stripSamples,
                                  Pattern only) throws IOException {
        List<RunData> runs = load(data).stream().filter(r -> only.matcher(r.name()).find()).toList();
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no run folder with a metrics.csv in " + data
                    + (only.pattern().equals(".*") ? "" : " whose name matches '" + only.pattern() + "'"));
        }
        Files.createDirectories(figures);
        List<Path> written = new ArrayList<>();
        Map<String, List<RunData>> bySubject = new LinkedHashMap<>();
        runs.forEach(r -> bySubject.computeIfAbsent(r.subject(), s -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<RunData>> e : bySubject.entrySet()) {
            String subject = e.getKey();
            List<XYChart> charts = new ArrayList<>();
            for (Charts.Metric m : Charts.METRICS) {
                boolean shade = m == Charts.FIDELITY || m == Charts.NOISE;
                XYChart chart = Charts.metricChart(subject, m, e.getValue(), shade);
                charts.add(chart);
                written.add(write(figures.resolve(subject + "-" + m.column() + ".png"), Charts.png(chart)));
            }
            written.add(write(figures.resolve(subject + "-overview.png"), Charts.png(charts, 2, 2)));
        }
        for (RunData r : runs) {
            List<Long> available = r.folder().sampleSteps();
            if (available.isEmpty()) {
                continue;
            }
            Map<Long, String> tags = keySteps(r);
            List<Long> steps = SampleStrip.chooseSteps(available, stripSteps, tags.keySet());
            byte[] png = SampleStrip.compose(r.name() + ": " + r.label() + " - first sample"
                    + (stripSamples > 1 ? "s" : "") + " at eval steps", r.folder(), steps, tags, stripSamples);
            written.add(write(figures.resolve("strip-" + r.name() + ".png"), png));
        }
        String summary = summary(data, runs);
        Path parent = summaryFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(summaryFile, summary, StandardCharsets.UTF_8);
        written.add(summaryFile);
        Path copy = figures.resolve("summary.md");
        if (!copy.toAbsolutePath().normalize().equals(summaryFile.toAbsolutePath().normalize())) {
            written.add(write(copy, summary.getBytes(StandardCharsets.UTF_8)));
        }
        return new Result(runs, written, summary);
    }

    /** The run folders of {@code data}: in the order of {@code data/plan.tsv} when it lists them, then by name. */
    public static List<RunData> load(Path data) throws IOException {
        List<String> order = new ArrayList<>();
        Path plan = data.resolve("plan.tsv");
        if (Files.exists(plan)) {
            try {
                Plan.read(plan).forEach(s -> order.add(s.name()));
            } catch (IllegalArgumentException e) {
                // an unreadable plan only loses the order
            }
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(data)) {
            dirs = s.filter(p -> Files.isRegularFile(p.resolve(RunFolder.METRICS))).toList();
        }
        List<RunData> runs = new ArrayList<>();
        for (Path d : dirs) {
            runs.add(RunData.load(new RunFolder(d), DetectorParams.defaults()));
        }
        runs.sort(Comparator.comparingInt((RunData r) -> {
            int i = order.indexOf(r.name());
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(RunData::name));
        return runs;
    }

    /** The steps a strip always shows: the fidelity peak, the low point after it, window onsets and ends. */
    static Map<Long, String> keySteps(RunData r) {
        Map<Long, String> tags = new TreeMap<>();
        RunData.At peak = r.max("fidelity");
        if (peak.present()) {
            tags.put(peak.step(), "peak");
            RunData.At low = r.minAfter("fidelity", peak.step());
            if (low.present()) {
                tags.put(low.step(), "low");
            }
        }
        if (r.verdict() != null) {
            for (CorruptionWindow w : r.verdict().windows()) {
                tags.merge(w.onset(), "onset", (a, b) -> a + "/" + b);
                if (w.end() != null) {
                    tags.merge(w.end(), "end", (a, b) -> a + "/" + b);
                }
            }
        }
        return tags;
    }

    static String summary(Path data, List<RunData> runs) {
        StringBuilder b = new StringBuilder();
        b.append("# Reproduction runs: summary\n\n");
        b.append("Generated by `io.bayesweep.report.ReproductionReport` from `").append(data)
                .append("/*/metrics.csv`; corruption detector ").append(DetectorParams.defaults().version())
                .append(" (docs/detection.md) replayed over each run's metrics.csv.\n\n");
        b.append("| run | subject | kind | lr | kl_weight | prior_std | status | last step | peak fidelity (step) "
                + "| min after peak (step) | deepest drop (from-to) | final fidelity | max noise (step) "
                + "| sigma1 first -> last | memorization first -> last | detector state | detector windows |\n");
        b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (RunData r : runs) {
            RunSpec s = r.spec();
            RunData.At peak = r.max("fidelity");
            RunData.At low = peak.present() ? r.minAfter("fidelity", peak.step()) : RunData.At.NONE;
            RunData.Drop drop = r.deepestDrop("fidelity");
            RunData.At maxNoise = r.max("noise");
            b.append("| ").append(r.name())
                    .append(" | ").append(r.subject())
                    .append(" | ").append(s == null ? (r.baseline() ? "baseline?" : "BNN?")
                            : s.baseline() ? "baseline" : "BNN " + String.join("+", s.bayesianLayers()))
                    .append(" | ").append(s == null ? "" : RunSpec.num(s.lr()))
                    .append(" | ").append(s == null || s.baseline() ? "" : RunSpec.num(s.klWeight()))
                    .append(" | ").append(s == null || s.baseline() ? "" : RunSpec.num(s.priorStd()))
                    .append(" | ").append(r.status())
                    .append(" | ").append(r.lastStep())
                    .append(" | ").append(at(peak, 3))
                    .append(" | ").append(at(low, 3))
                    .append(" | ").append(drop.from() < 0 ? "none"
                            : fmt(drop.depth(), 3) + " (" + drop.from() + "-" + drop.to() + ")")
                    .append(" | ").append(value(r.last("fidelity"), 3))
                    .append(" | ").append(at(maxNoise, 4))
                    .append(" | ").append(value(r.first("sigma1"), 3)).append(" -> ").append(value(r.last("sigma1"), 3))
                    .append(" | ").append(value(r.first("memorization"), 3)).append(" -> ")
                    .append(value(r.last("memorization"), 3))
                    .append(" | ").append(r.verdict() == null
                            ? (r.detectorError() == null ? "no points" : "trace error: " + r.detectorError())
                            : r.verdict().state().name())
                    .append(" | ").append(windows(r))
                    .append(" |\n");
        }
        b.append("\nColumns: *peak fidelity* is the highest eval fidelity (first step where reached); *min after peak* "
                + "the lowest fidelity at a later eval step; *deepest drop* the largest fall of fidelity below its "
                + "running maximum, from the step of that maximum to the low point; *detector windows* "
                + "onset-end (depth = frozen running peak minus the lowest fidelity inside), `open` when the run ends "
                + "inside one.\n");
        return b.toString();
    }

    private static String windows(RunData r) {
        if (r.verdict() == null || r.verdict().windows().isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (CorruptionWindow w : r.verdict().windows()) {
            parts.add(w.onset() + "-" + (w.end() == null ? "open" : w.end()) + " (depth " + fmt(w.depth(), 3) + ")");
        }
        return String.join(", ", parts);
    }

    private static String at(RunData.At a, int decimals) {
        return a.present() ? fmt(a.value(), decimals) + " (" + a.step() + ")" : "";
    }

    private static String value(RunData.At a, int decimals) {
        return a.present() ? fmt(a.value(), decimals) : "-";
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return file;
    }
}
