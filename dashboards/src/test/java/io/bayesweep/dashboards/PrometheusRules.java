package io.bayesweep.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rules of a Prometheus rule file (recording and alerting), as plain records. */
public final class PrometheusRules {

    /** One rule: {@code alert} is null for a recording rule, {@code record} for an alerting one. */
    public record Rule(String group, String alert, String record, String expr, String forDuration,
                       Map<String, String> labels, Map<String, String> annotations) {
        public boolean isAlert() {
            return alert != null;
        }

        public String name() {
            return isAlert() ? alert : record;
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PrometheusRules() {
    }

    public static List<Rule> read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rule file " + file + ": " + e.getMessage(), e);
        }
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : root.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.add(new Rule(group.path("name").asText(), rule.path("alert").asText(null),
                        rule.path("record").asText(null), rule.path("expr").asText(null),
                        rule.path("for").asText(null), strings(rule.path("labels")),
                        strings(rule.path("annotations"))));
            }
        }
        return rules;
    }

    public static List<Rule> alerts(Path file) {
        return read(file).stream().filter(Rule::isAlert).toList();
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
