package io.bayesweep.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bayesweep.messages.Json;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One row per trial: id, parameters, state, the corruption-stage detector's state and window count, and final
 * metrics, as a table, JSON or CSV.
 */
final class TrialResults {
    enum Format { table, json, csv }

    /** The image-quality metrics come first, in this order; any others follow alphabetically. */
    static final List<String> LEADING_METRICS = List.of("loss", "fidelity", "noise", "diversity", "memorization");

    private final List<TrialView> trials;
    private final List<String> paramColumns;
    private final List<String> metricColumns;

    TrialResults(List<TrialView> trials) {
        this.trials = trials.stream()
                .sorted(Comparator.comparing((TrialView t) -> t.index() == null ? Integer.MAX_VALUE : t.index()))
                .toList();
        Set<String> params = new LinkedHashSet<>();
        Set<String> others = new TreeSet<>();
        for (TrialView trial : this.trials) {
            params.addAll(Values.flatten(trial.paramsOrEmpty()).keySet());
            others.addAll(trial.metricsOrEmpty().keySet());
        }
        List<String> metrics = new ArrayList<>();
        for (String name : LEADING_METRICS) {
            if (others.remove(name)) {
                metrics.add(name);
            }
        }
        metrics.addAll(others);
        this.paramColumns = List.copyOf(params);
        this.metricColumns = List.copyOf(metrics);
    }

    void print(Format format, PrintWriter out) {
        switch (format) {
            case table -> table().print(out);
            case json -> out.println(json());
            case csv -> csv().forEach(out::println);
        }
        out.flush();
    }

    boolean allCompleted() {
        return !trials.isEmpty() && trials.stream().allMatch(t -> "COMPLETED".equals(t.state()));
    }

    TextTable table() {
        List<String> header = new ArrayList<>();
        header.add("TRIAL");
        header.addAll(paramColumns);
        header.add("STATE");
        header.add("STAGE");
        header.add("WINDOWS");
        header.addAll(metricColumns);
        TextTable table = new TextTable(header);
        for (TrialView trial : trials) {
            Map<String, Object> params = Values.flatten(trial.paramsOrEmpty());
            List<String> row = new ArrayList<>();
            row.add(trial.id());
            paramColumns.forEach(c -> row.add(Values.param(params.get(c))));
            row.add(trial.state());
            row.add(trial.stage() == null ? Values.MISSING : trial.stage());
            row.add(trial.windowCount() == null ? Values.MISSING : trial.windowCount().toString());
            metricColumns.forEach(c -> row.add(Values.metric(trial.metricsOrEmpty().get(c))));
            table.row(row);
        }
        return table;
    }

    String json() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TrialView trial : trials) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trialId", trial.id());
            row.put("params", trial.paramsOrEmpty());
            row.put("state", trial.state());
            row.put("detection", trial.detection());
            row.put("metrics", trial.metricsOrEmpty());
            rows.add(row);
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> csv() {
        List<String> lines = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("trial_id");
        header.addAll(paramColumns);
        header.add("state");
        header.add("stage");
        header.add("windows");
        header.addAll(metricColumns);
        lines.add(csvLine(header));
        for (TrialView trial : trials) {
            Map<String, Object> params = Values.flatten(trial.paramsOrEmpty());
            List<String> row = new ArrayList<>();
            row.add(trial.id());
            paramColumns.forEach(c -> row.add(csvValue(params.get(c))));
            row.add(trial.state());
            row.add(csvValue(trial.stage()));
            row.add(csvValue(trial.windowCount()));
            metricColumns.forEach(c -> row.add(csvValue(trial.metricsOrEmpty().get(c))));
            lines.add(csvLine(row));
        }
        return lines;
    }

    private static String csvValue(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            // A list parameter (bayesian_layers) stays one cell a reader can parse back.
            try {
                return Json.MAPPER.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return value.toString();
    }

    private static String csvLine(List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String cell : cells) {
            String c = cell == null ? "" : cell;
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                c = "\"" + c.replace("\"", "\"\"") + "\"";
            }
            quoted.add(c);
        }
        return String.join(",", quoted);
    }
}
