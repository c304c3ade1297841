package io.bayesweep.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Grafana does to a query before it runs it, reproduced for the checks: variable references
 * ({@code $var}, {@code ${var}}, {@code ${var:format}}, {@code [[var]]}), its global variables
 * ({@code $__rate_interval}, ...) and the SQL macros of the PostgreSQL datasource ({@code $__timeFilter(col)}, ...).
 */
public final class GrafanaTemplating {

    /**
     * Grafana's global variables, the SQL macros, and the data-link variables. An explicit list rather than "anything
     * starting with __" so that a typo such as {@code $__rate_intervall} is reported.
     */
    public static final Set<String> BUILT_INS = Set.of(
            "__interval", "__interval_ms", "__rate_interval", "__rate_interval_ms", "__range", "__range_s",
            "__range_ms", "__from", "__to", "__dashboard", "__org", "__user", "__timezone", "__all_variables",
            "__url_time_range", "__name", "__all",
            "__timeFilter", "__timeFrom", "__timeTo", "__timeGroup", "__timeGroupAlias", "__time", "__timeEpoch",
            "__unixEpochFilter", "__unixEpochFrom", "__unixEpochTo", "__unixEpochNanoFilter",
            "__unixEpochNanoFrom", "__unixEpochNanoTo", "__unixEpochGroup", "__unixEpochGroupAlias",
            "__value", "__data", "__field", "__series", "__cell", "__cell_0");

    // ${name}, ${name:format}, ${__value.raw}
    private static final Pattern BRACED = Pattern.compile("\\$\\{(\\w+)(?:[.:][^}]*)?}");
    // [[name]], [[name:format]] (deprecated syntax, still honoured by Grafana)
    private static final Pattern BRACKETED = Pattern.compile("\\[\\[(\\w+)(?::[^\\]]*)?]]");
    // $name
    private static final Pattern PLAIN = Pattern.compile("\\$(\\w+)");
    private static final Pattern ANY_REFERENCE =
            Pattern.compile(BRACED.pattern() + "|" + BRACKETED.pattern() + "|" + PLAIN.pattern());

    private static final Pattern MACRO = Pattern.compile("\\$(__\\w+)\\(");

    private GrafanaTemplating() {
    }

    /** The names of the variables {@code text} refers to, in order of appearance. */
    public static Set<String> referencedVariables(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = ANY_REFERENCE.matcher(text);
        while (m.find()) {
            for (int group = 1; group <= 3; group++) {
                if (m.group(group) != null) {
                    names.add(m.group(group));
                }
            }
        }
        return names;
    }

    /**
     * Replaces each reference to a variable of {@code values} by its value; references to other names stay as they
     * are (so an undefined variable still shows in the result, and fails where it is run).
     */
    public static String substitute(String text, Map<String, String> values) {
        Matcher m = ANY_REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = values.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Values of Grafana's global variables for a dashboard showing {@code from} to {@code to}, 15 s scrapes. */
    public static Map<String, String> globalVariables(Instant from, Instant to) {
        long rangeSeconds = Duration.between(from, to).toSeconds();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("__interval", "15s");
        values.put("__interval_ms", "15000");
        // Grafana: max(4 x scrape interval, interval + scrape interval) = 1m with 15 s scrapes.
        values.put("__rate_interval", "1m");
        values.put("__rate_interval_ms", "60000");
        values.put("__range", rangeSeconds + "s");
        values.put("__range_s", Long.toString(rangeSeconds));
        values.put("__range_ms", Long.toString(rangeSeconds * 1000));
        values.put("__from", Long.toString(from.toEpochMilli()));
        values.put("__to", Long.toString(to.toEpochMilli()));
        return values;
    }

    /**
     * The PromQL expression a Prometheus variable query evaluates: the selector of {@code label_values(sel, label)},
     * the expression of {@code query_result(expr)}; empty for the forms without one ({@code label_values(label)},
     * {@code label_names()}, {@code metrics(regex)}).
     */
    public static Optional<String> promqlOfVariableQuery(String query) {
        String q = query.strip();
        if (q.startsWith("query_result(") && q.endsWith(")")) {
            return Optional.of(q.substring("query_result(".length(), q.length() - 1).strip());
        }
        if (q.startsWith("label_values(") && q.endsWith(")")) {
            String args = q.substring("label_values(".length(), q.length() - 1);
            int comma = lastTopLevelComma(args);
            return comma < 0 ? Optional.empty() : Optional.of(args.substring(0, comma).strip());
        }
        if (q.startsWith("label_names(") || q.startsWith("metrics(")) {
            return Optional.empty();
        }
        // Anything else Grafana runs as a plain query.
        return Optional.of(q);
    }

    /**
     * Expands the PostgreSQL datasource's macros as Grafana does for the time range {@code from}-{@code to}.
     * A macro this method does not know is an error, so that a new one gets a faithful expansion here first.
     */
    public static String expandSqlMacros(String sql, Instant from, Instant to) {
        String fromLiteral = "'" + from.truncatedTo(ChronoUnit.SECONDS) + "'";
        String toLiteral = "'" + to.truncatedTo(ChronoUnit.SECONDS) + "'";
        StringBuilder out = new StringBuilder();
        int position = 0;
        Matcher m = MACRO.matcher(sql);
        while (m.find(position)) {
            int argsStart = m.end();
            int argsEnd = closingParenthesis(sql, argsStart);
            List<String> args = splitTopLevel(sql.substring(argsStart, argsEnd));
            out.append(sql, position, m.start());
            out.append(expandMacro(m.group(1), args, fromLiteral, toLiteral, from, to, sql));
            position = argsEnd + 1;
        }
        out.append(sql.substring(position));
        return out.toString();
    }

    private static String expandMacro(String name, List<String> args, String fromLiteral, String toLiteral,
                                      Instant from, Instant to, String sql) {
        String first = args.isEmpty() ? "" : args.get(0);
        return switch (name) {
            case "__timeFilter" -> first + " BETWEEN " + fromLiteral + " AND " + toLiteral;
            case "__timeFrom" -> fromLiteral;
            case "__timeTo" -> toLiteral;
            case "__time" -> first + " AS \"time\"";
            case "__timeEpoch" -> "extract(epoch from " + first + ") AS \"time\"";
            case "__unixEpochFilter" -> first + " >= " + from.getEpochSecond() + " AND " + first + " <= "
                    + to.getEpochSecond();
            case "__unixEpochFrom" -> Long.toString(from.getEpochSecond());
            case "__unixEpochTo" -> Long.toString(to.getEpochSecond());
            case "__timeGroup", "__timeGroupAlias" -> {
                long seconds = intervalSeconds(args.size() > 1 ? args.get(1) : "'1m'");
                String group = "floor(extract(epoch from " + first + ")/" + seconds + ")*" + seconds;
                yield name.equals("__timeGroupAlias") ? group + " AS \"time\"" : group;
            }
            default -> throw new IllegalArgumentException("SQL macro $" + name + " is not expanded by the check "
                    + "(GrafanaTemplating.expandSqlMacros): add it there. Query:\n" + sql);
        };
    }

    private static long intervalSeconds(String literal) {
        String value = literal.strip().replace("'", "");
        long amount = Long.parseLong(value.replaceAll("[a-z]+$", ""));
        return switch (value.replaceAll("^[0-9]+", "")) {
            case "s" -> amount;
            case "m" -> amount * 60;
            case "h" -> amount * 3600;
            case "d" -> amount * 86400;
            default -> throw new IllegalArgumentException("interval " + literal);
        };
    }

    private static int closingParenthesis(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses after position " + from + " in:\n" + text);
    }

    private static int lastTopLevelComma(String args) {
        int depth = 0;
        int last = -1;
        boolean quoted = false;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '{' || c == '[')) {
                depth++;
            } else if (!quoted && (c == ')' || c == '}' || c == ']')) {
                depth--;
            } else if (!quoted && c == ',' && depth == 0) {
                last = i;
            }
        }
        return last;
    }

    private static List<String> splitTopLevel(String args) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(args.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (!args.isBlank()) {
            parts.add(args.substring(start).strip());
        }
        return parts;
    }
}
