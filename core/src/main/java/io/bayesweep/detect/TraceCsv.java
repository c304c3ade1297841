package io.bayesweep.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a trace of eval-step metrics from CSV (RFC 4180: comma separated, double quotes for
 * quoting). The first row is the header; columns {@code step}, {@code fidelity} and {@code noise}
 * are required, {@code diversity}, {@code memorization}, {@code sigma1} and {@code loss} optional,
 * in any order (names are case-insensitive); other columns are ignored. Each further row is one
 * eval point: {@code step} a non-negative integer, strictly increasing from row to row; a metric
 * cell a decimal number, or empty (or {@code NaN}) when the metric is missing at that step. Blank
 * lines are skipped. Every problem is a {@link TraceFormatException} naming the line and the column.
 */
public final class TraceCsv {
    public static final List<String> REQUIRED_COLUMNS = List.of("step", "fidelity", "noise");
    public static final List<String> OPTIONAL_COLUMNS = List.of("diversity", "memorization", "sigma1", "loss");

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private TraceCsv() {
    }

    /** Reads a CSV file; problems name the file as given. */
    public static List<EvalPoint> read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        }
    }

    /**
     * Reads CSV text; {@code source} names it in error messages.
     *
     * @throws TraceFormatException when the text is not a valid trace
     * @throws IOException          when the reader fails
     */
    public static List<EvalPoint> read(Reader reader, String source) throws IOException {
        List<EvalPoint> points = new ArrayList<>();
        try (MappingIterator<String[]> rows = MAPPER.readerFor(String[].class)
                .with(CsvSchema.emptySchema())
                .readValues(reader)) {
            Header header = null;
            long previousStep = -1;
            int previousLine = 0;
            while (true) {
                String[] row;
                int line;
                try {
                    if (!rows.hasNextValue()) {
                        break;
                    }
                    row = rows.nextValue();
                    // after a row, the parser's token location is the line where that row started
                    line = (int) rows.getParser().currentTokenLocation().getLineNr();
                } catch (JsonProcessingException e) {
                    int at = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
                    throw new TraceFormatException(source, Math.max(at, 0), null,
                            "malformed CSV: " + e.getOriginalMessage());
                } catch (RuntimeException e) {
                    // MappingIterator wraps parse errors of hasNextValue in RuntimeException
                    if (e.getCause() instanceof JsonProcessingException jpe) {
                        int at = jpe.getLocation() == null ? 0 : jpe.getLocation().getLineNr();
                        throw new TraceFormatException(source, Math.max(at, 0), null,
                                "malformed CSV: " + jpe.getOriginalMessage());
                    }
                    throw e;
                }
                if (isBlank(row)) {
                    continue;
                }
                if (header == null) {
                    header = Header.parse(row, line, source);
                    continue;
                }
                EvalPoint point = header.point(row, line, source);
                if (point.step() <= previousStep) {
                    throw new TraceFormatException(source, line, "step", "step " + point.step()
                            + " is not greater than the previous step " + previousStep + " (line " + previousLine
                            + "); steps must strictly increase");
                }
                previousStep = point.step();
                previousLine = line;
                points.add(point);
            }
            if (header == null) {
                throw new TraceFormatException(source, 0, null,
                        "empty file: expected a header row with the columns " + String.join(", ", REQUIRED_COLUMNS));
            }
        }
        return points;
    }

    private static boolean isBlank(String[] row) {
        for (String cell : row) {
            if (cell != null && !cell.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** Which cell of a row holds which metric. */
    private record Header(int columns, Map<String, Integer> index) {
        static Header parse(String[] row, int line, String source) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < row.length; i++) {
                String name = row[i] == null ? "" : row[i].strip();
                if (i == 0 && name.startsWith("\uFEFF")) {
                    name = name.substring(1).strip();
                }
                name = name.toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (index.containsKey(name) && (REQUIRED_COLUMNS.contains(name) || OPTIONAL_COLUMNS.contains(name))) {
                    throw new TraceFormatException(source, line, name, "the column appears twice in the header");
                }
                index.putIfAbsent(name, i);
            }
            List<String> missing = REQUIRED_COLUMNS.stream().filter(c -> !index.containsKey(c)).toList();
            if (!missing.isEmpty()) {
                throw new TraceFormatException(source, line, null, "missing required column"
                        + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing.stream().map(c -> "'" + c + "'").toList())
                        + " (the header must name " + String.join(", ", REQUIRED_COLUMNS) + "; optional: "
                        + String.join(", ", OPTIONAL_COLUMNS) + ")");
            }
            return new Header(row.length, index);
        }

        EvalPoint point(String[] row, int line, String source) {
            if (row.length != columns) {
                throw new TraceFormatException(source, line, null,
                        row.length + " cells, but the header has " + columns + " columns");
            }
            String stepCell = row[index.get("step")];
            if (stepCell == null || stepCell.isBlank()) {
                throw new TraceFormatException(source, line, "step", "the step is missing");
            }
            long step;
            try {
                step = Long.parseLong(stepCell.strip());
            } catch (NumberFormatException e) {
                throw new TraceFormatException(source, line, "step", "not an integer step: '" + stepCell + "'");
            }
            if (step < 0) {
                throw new TraceFormatException(source, line, "step", "negative step " + step);
            }
            return new EvalPoint(step, metric(row, "fidelity", line, source), metric(row, "noise", line, source),
                    metric(row, "diversity", line, source), metric(row, "memorization", line, source),
                    metric(row, "sigma1", line, source), metric(row, "loss", line, source));
        }

        private double metric(String[] row, String column, int line, String source) {
            Integer i = index.get(column);
            if (i == null) {
                return Double.NaN;
            }
            String cell = row[i] == null ? "" : row[i].strip();
            if (cell.isEmpty() || cell.equalsIgnoreCase("nan")) {
                return Double.NaN;
            }
            double value;
            try {
                // Double.parseDouble also takes "Infinity", hex floats and a trailing 'd'/'f': refuse those.
                if (!cell.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    throw new NumberFormatException();
                }
                value = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw new TraceFormatException(source, line, column, "not a number: '" + row[i] + "'");
            }
            if (!Double.isFinite(value)) {
                throw new TraceFormatException(source, line, column, "not a finite number: '" + row[i] + "'");
            }
            return value;
        }
    }
}
