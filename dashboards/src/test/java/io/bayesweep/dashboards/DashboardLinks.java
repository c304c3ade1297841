package io.bayesweep.dashboards;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Links to Grafana dashboards ({@code /d/<uid>/<slug>?var-x=...}) found in text, checked against the dashboards. */
final class DashboardLinks {

    private static final Pattern LINK = Pattern.compile("/d/([A-Za-z0-9_-]+)(?:/[A-Za-z0-9_-]*)?(\\?[^\\s\"'<>]*)?");
    private static final Pattern VAR = Pattern.compile("[?&]var-(\\w+)=");

    private DashboardLinks() {
    }

    /** What is wrong with the dashboard links of {@code text}: an unknown uid, or a variable it does not define. */
    static List<String> problems(String where, String text, Map<String, GrafanaDashboard> dashboardsByUid) {
        List<String> problems = new ArrayList<>();
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            GrafanaDashboard target = dashboardsByUid.get(link.group(1));
            if (target == null) {
                problems.add(where + ": link " + link.group() + " to an unknown dashboard uid " + link.group(1));
                continue;
            }
            if (link.group(2) == null) {
                continue;
            }
            Matcher var = VAR.matcher(link.group(2));
            while (var.find()) {
                if (!target.variableNames().contains(var.group(1))) {
                    problems.add(where + ": link " + link.group() + " sets var-" + var.group(1) + ", which "
                            + target.fileName() + " does not define");
                }
            }
        }
        return problems;
    }
}
