package io.bayesweep.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Runs PromQL queries on a real Prometheus and reports the ones that fail, or that return nothing. */
public final class PromqlCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PromqlCheck() {
    }

    /** The queries Prometheus refuses (a parse error is {@code bad_data}), each with Prometheus's error. */
    public static List<String> errors(PrometheusServer prometheus, List<DashboardQueries.Query> queries) {
        return check(prometheus, queries, false);
    }

    /** The queries that fail or return an empty result (for checks against live services). */
    public static List<String> errorsOrEmpty(PrometheusServer prometheus, List<DashboardQueries.Query> queries) {
        return check(prometheus, queries, true);
    }

    private static List<String> check(PrometheusServer prometheus, List<DashboardQueries.Query> queries,
                                      boolean requireData) {
        List<String> problems = new ArrayList<>();
        for (DashboardQueries.Query q : queries) {
            JsonNode answer = run(prometheus, q);
            if (!"success".equals(answer.path("status").asText())) {
                problems.add(q.describe() + "\n  -> " + answer.path("errorType").asText() + ": "
                        + answer.path("error").asText());
            } else if (requireData && answer.path("data").path("result").isEmpty()) {
                problems.add(q.describe() + "\n  -> no data");
            }
        }
        return problems;
    }

    private static JsonNode run(PrometheusServer prometheus, DashboardQueries.Query q) {
        String body = prometheus.query(q.text());
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus answered " + q.describe() + " with no JSON: " + body, e);
        }
    }
}
