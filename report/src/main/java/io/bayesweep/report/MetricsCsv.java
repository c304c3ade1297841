package io.bayesweep.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A run's eval metrics, one row per eval step: {@code metrics.csv}.
 *
 * <p>Header: {@code step}, then {@link #COLUMNS} in that order, then any other metric the run reported
 * ({@code pixel_diversity}, {@code sigma_mean_<group>}, ...) in alphabetical order. A cell is the value as
 * {@link Double#toString} writes it (so a value reads back bit for bit), or empty when the metric is absent
 * or not finite. The file is also a trace for {@code io.bayesweep.detect.TraceCsv}.
 */
public final class MetricsCsv {
    /** The metrics every file has a column for, in this order. */
    public static final List<String> COLUMNS = List.of("loss", "kl", "fidelity", "fidelity_min", "fidelity_max",
            "pixel_fidelity", "noise", "hf_ratio", "diversity", "memorization", "sigma1", "sigma_mean");

    /** One eval step: metric name to value ({@link Double#NaN} = absent). */
    public record Row(long step, Map<String, Double> metrics) {
        public Row {
            metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /** The metric, or NaN when absent. */
        public double get(String name) {
            Double v = metrics.get(name);
            return v == null ? Double.NaN : v;
        }
    }

    private MetricsCsv() {
    }

    /** The header's metric columns for these rows: {@link #COLUMNS}, then the others sorted. */
    public static List<String> columns(Collection<Row> rows) {
        Set<String> extra = new TreeSet<>();
        rows.forEach(r -> extra.addAll(r.metrics().keySet()));
        extra.removeAll(COLUMNS);
        List<String> cols = new ArrayList<>(COLUMNS);
        cols.addAll(extra);
        return cols;
    }

    public static String format(List<Row> rows) {
        List<String> cols = columns(rows);
        StringBuilder b = new StringBuilder("step");
        cols.forEach(c -> b.append(',').append(c));
        b.append('\n');
        for (Row r : rows) {
            b.append(r.step());
            for (String c : cols) {
                b.append(',');
                double v = r.get(c);
                if (Double.isFinite(v)) {
                    b.append(Double.toString(v));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Writes the rows atomically (a temporary file in the same folder, then a rename). */
    public static void write(Path file, List<Row> rows) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, format(rows), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static List<Row> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Reads what {@link #format} writes (any column order; empty cells and NaN are absent metrics). */
    public static List<Row> parse(String text, String source) {
        List<Row> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        List<String> header = null;
        for (int i = 0; i < lines.length; i++) {
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (header == null) {
                header = new ArrayList<>();
                for (String c : cells) {
                    header.add(c.strip());
                }
                if (header.isEmpty() || !header.get(0).equals("step")) {
                    throw new IllegalArgumentException(source + ": line " + (i + 1) + ": the first column must be 'step'");
                }
                if (new LinkedHashSet<>(header).size() != header.size()) {
                    throw new IllegalArgumentException(source + ": line " + (i + 1) + ": a column appears twice");
                }
                continue;
            }
            if (cells.length != header.size()) {
                throw new IllegalArgumentException(source + ": line " + (i + 1) + ": " + cells.length
                        + " cells, but the header has " + header.size() + " columns");
            }
            long step;
            try {
                step = Long.parseLong(cells[0].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": line " + (i + 1) + ": not a step: '" + cells[0] + "'");
            }
            Map<String, Double> m = new LinkedHashMap<>();
            for (int c = 1; c < cells.length; c++) {
                String cell = cells[c].strip();
                if (cell.isEmpty() || cell.equalsIgnoreCase("nan")) {
                    continue;
                }
                try {
                    m.put(header.get(c), Double.parseDouble(cell));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + ": line " + (i + 1) + ", column '" + header.get(c)
                            + "': not a number: '" + cell + "'");
                }
            }
            rows.add(new Row(step, m));
        }
        if (header == null) {
            throw new IllegalArgumentException(source + ": empty file, expected a header starting with 'step'");
        }
        return rows;
    }
}
