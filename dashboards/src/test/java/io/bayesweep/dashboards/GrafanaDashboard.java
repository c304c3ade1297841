package io.bayesweep.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One Grafana dashboard JSON file, read the way Grafana reads it: panels (also those nested in collapsed rows),
 * template variables, annotation queries, and every query with the datasource it runs on.
 */
public final class GrafanaDashboard {

    /** Where a query sits in the dashboard. */
    public enum Source { PANEL, VARIABLE, ANNOTATION }

    /** A datasource reference {@code {"type": ..., "uid": ...}}; {@code where} says which element holds it. */
    public record DatasourceRef(String type, String uid, String where) {
    }

    /**
     * One query of the dashboard. {@code text} is the PromQL expression, the raw SQL, or a variable's query as
     * written ({@code label_values(...)} included); {@code format} is Grafana's result format where it matters
     * (time_series / table for panel targets, null elsewhere).
     */
    public record Query(String file, Source source, String where, DatasourceRef datasource, String text,
                        String format) {
        public boolean isPrometheus() {
            return "prometheus".equals(datasource.type());
        }

        public boolean isSql() {
            return "grafana-postgresql-datasource".equals(datasource.type()) || "postgres".equals(datasource.type());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final JsonNode root;

    private GrafanaDashboard(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static GrafanaDashboard read(Path file) {
        try {
            return new GrafanaDashboard(file, JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("invalid dashboard JSON " + file + ": " + e.getMessage(), e);
        }
    }

    public static List<GrafanaDashboard> readAll(ObservabilityFiles files) {
        return files.dashboardFiles().stream().map(GrafanaDashboard::read).toList();
    }

    public Path file() {
        return file;
    }

    public String fileName() {
        return file.getFileName().toString();
    }

    public JsonNode json() {
        return root;
    }

    public String uid() {
        return root.path("uid").asText(null);
    }

    public String title() {
        return root.path("title").asText(null);
    }

    /** Every panel, rows included, and the panels a collapsed row holds. */
    public List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : root.path("panels")) {
            all.add(panel);
            for (JsonNode nested : panel.path("panels")) {
                all.add(nested);
            }
        }
        return all;
    }

    public List<JsonNode> variables() {
        List<JsonNode> list = new ArrayList<>();
        root.path("templating").path("list").forEach(list::add);
        return list;
    }

    public Set<String> variableNames() {
        Set<String> names = new LinkedHashSet<>();
        variables().forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    /** The annotation queries, without Grafana's built-in "Annotations & Alerts". */
    public List<JsonNode> annotations() {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode annotation : root.path("annotations").path("list")) {
            if (annotation.path("builtIn").asInt(0) != 1) {
                list.add(annotation);
            }
        }
        return list;
    }

    /** Every query: panel targets, variable queries, annotation queries. */
    public List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            DatasourceRef panelDatasource = ref(panel.path("datasource"), describe(panel));
            for (JsonNode target : panel.path("targets")) {
                String where = describe(panel) + " target " + target.path("refId").asText("?");
                DatasourceRef datasource = target.hasNonNull("datasource")
                        ? ref(target.path("datasource"), where) : panelDatasource;
                String text = firstText(target, "expr", "rawSql");
                queries.add(new Query(fileName(), Source.PANEL, where, datasource, text,
                        target.path("format").asText(null)));
            }
        }
        for (JsonNode variable : variables()) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            String where = "variable " + variable.path("name").asText();
            JsonNode query = variable.path("query");
            // Prometheus saves {"query": "label_values(...)", ...}; SQL datasources save the SQL as a string.
            String text = query.isObject() ? firstText(query, "query", "rawSql") : query.asText(null);
            queries.add(new Query(fileName(), Source.VARIABLE, where, ref(variable.path("datasource"), where), text,
                    null));
        }
        for (JsonNode annotation : annotations()) {
            String where = "annotation '" + annotation.path("name").asText() + "'";
            JsonNode target = annotation.path("target");
            // Current Grafana keeps the query in "target"; older files have expr / rawQuery at the top.
            String text = target.isObject() ? firstText(target, "expr", "rawSql") : null;
            if (text == null) {
                text = firstText(annotation, "expr", "rawQuery");
            }
            queries.add(new Query(fileName(), Source.ANNOTATION, where, ref(annotation.path("datasource"), where),
                    text, "table"));
        }
        return queries;
    }

    /** Every datasource reference anywhere in the dashboard (panels, targets, variables, annotations). */
    public List<DatasourceRef> datasourceRefs() {
        List<DatasourceRef> refs = new ArrayList<>();
        collectDatasources(root, "dashboard", refs);
        return refs;
    }

    /** A string value of the dashboard and its JSON path. */
    public record JsonString(String path, String value) {
    }

    /** Every string value of the file with where it is: the input of the variable-reference check. */
    public List<JsonString> strings() {
        List<JsonString> strings = new ArrayList<>();
        collectStrings(root, "", strings);
        return strings;
    }

    static String describe(JsonNode panel) {
        return "panel " + panel.path("id").asText("?") + " '" + panel.path("title").asText("") + "'";
    }

    private static DatasourceRef ref(JsonNode node, String where) {
        if (node.isMissingNode() || node.isNull()) {
            return new DatasourceRef(null, null, where);
        }
        if (node.isTextual()) {
            // A datasource given by name: Grafana still resolves it, but only while the name never changes.
            return new DatasourceRef(null, node.asText(), where + " (by name, not {type, uid})");
        }
        return new DatasourceRef(node.path("type").asText(null), node.path("uid").asText(null), where);
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }

    private static void collectDatasources(JsonNode node, String path, List<DatasourceRef> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String child = path + "." + e.getKey();
                if (e.getKey().equals("datasource") && !e.getValue().isNull()) {
                    refs.add(ref(e.getValue(), child));
                } else {
                    collectDatasources(e.getValue(), child, refs);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectDatasources(node.get(i), path + "[" + i + "]", refs);
            }
        }
    }

    private static void collectStrings(JsonNode node, String path, List<JsonString> strings) {
        if (node.isTextual()) {
            strings.add(new JsonString(path, node.asText()));
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> collectStrings(e.getValue(), path + "." + e.getKey(), strings));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectStrings(node.get(i), path + "[" + i + "]", strings);
            }
        }
    }
}
