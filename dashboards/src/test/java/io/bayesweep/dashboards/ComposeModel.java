package io.bayesweep.dashboards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only view of a parsed docker-compose file (the Map that Jackson YAML gives), normalising the short and
 * long syntaxes of environment, ports, expose, volumes, depends_on and healthcheck. Values are returned raw
 * (as written, {@code ${VAR:-default}} included); {@link #interpolate} resolves them with their defaults only, so
 * that the checks do not depend on the environment of the machine that runs them.
 */
final class ComposeModel {

    /** One entry of a service's {@code ports}. hostPort is null when only the container port is given. */
    record PortMapping(String hostIp, Integer hostPort, int containerPort, String raw) {
    }

    /** One entry of a service's {@code volumes}: type "bind" (a host path) or "volume" (a named volume). */
    record Mount(String type, String source, String target, boolean readOnly, String raw) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    final String file;
    private final Map<String, Object> root;

    ComposeModel(String file, Map<String, Object> root) {
        this.file = file;
        this.root = root == null ? Map.of() : root;
    }

    Set<String> serviceNames() {
        return map(root.get("services")).keySet();
    }

    boolean hasService(String name) {
        return map(root.get("services")).containsKey(name);
    }

    Map<String, Object> service(String name) {
        return map(map(root.get("services")).get(name));
    }

    Set<String> declaredVolumes() {
        return map(root.get("volumes")).keySet();
    }

    /** The service's environment, raw values (null for a variable passed through from the host). */
    Map<String, String> environment(String service) {
        Object env = service(service).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            for (Object item : list) {
                String text = String.valueOf(item);
                int eq = text.indexOf('=');
                result.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? null : text.substring(eq + 1));
            }
        }
        return result;
    }

    /** The interpolated value of one environment variable of a service, or null when it is not set there. */
    String env(String service, String name) {
        String raw = environment(service).get(name);
        return raw == null ? null : interpolate(raw);
    }

    List<PortMapping> ports(String service) {
        List<PortMapping> result = new ArrayList<>();
        for (Object item : list(service(service).get("ports"))) {
            if (item instanceof Map<?, ?> m) {
                Object published = m.get("published");
                result.add(new PortMapping(m.get("host_ip") == null ? null : String.valueOf(m.get("host_ip")),
                        published == null ? null : Integer.valueOf(interpolate(String.valueOf(published))),
                        Integer.parseInt(interpolate(String.valueOf(m.get("target")))), String.valueOf(item)));
                continue;
            }
            String raw = String.valueOf(item);
            String text = interpolate(raw);
            int slash = text.indexOf('/');
            if (slash >= 0) {
                text = text.substring(0, slash);
            }
            String[] parts = text.split(":");
            int container = Integer.parseInt(parts[parts.length - 1]);
            Integer host = parts.length >= 2 && !parts[parts.length - 2].isEmpty()
                    ? Integer.valueOf(parts[parts.length - 2]) : null;
            String ip = parts.length >= 3 ? parts[0] : null;
            result.add(new PortMapping(ip, host, container, raw));
        }
        return result;
    }

    List<Integer> expose(String service) {
        List<Integer> result = new ArrayList<>();
        for (Object item : list(service(service).get("expose"))) {
            String text = interpolate(String.valueOf(item));
            int slash = text.indexOf('/');
            result.add(Integer.parseInt(slash >= 0 ? text.substring(0, slash) : text));
        }
        return result;
    }

    List<Mount> volumes(String service) {
        List<Mount> result = new ArrayList<>();
        for (Object item : list(service(service).get("volumes"))) {
            if (item instanceof Map<?, ?> m) {
                String source = m.get("source") == null ? null : String.valueOf(m.get("source"));
                result.add(new Mount(String.valueOf(m.get("type")), source, String.valueOf(m.get("target")),
                        Boolean.TRUE.equals(m.get("read_only")), String.valueOf(item)));
                continue;
            }
            String raw = String.valueOf(item);
            String[] parts = interpolate(raw).split(":");
            if (parts.length == 1) { // an anonymous volume
                result.add(new Mount("volume", null, parts[0], false, raw));
                continue;
            }
            String source = parts[0];
            boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
            boolean readOnly = parts.length >= 3 && List.of(parts[2].split(",")).contains("ro");
            result.add(new Mount(bind ? "bind" : "volume", source, parts[1], readOnly, raw));
        }
        return result;
    }

    /** depends_on as target -> condition (the list form means service_started). */
    Map<String, String> dependsOn(String service) {
        Object deps = service(service).get("depends_on");
        Map<String, String> result = new LinkedHashMap<>();
        if (deps instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                Object condition = v instanceof Map<?, ?> c ? c.get("condition") : null;
                result.put(String.valueOf(k), condition == null ? "service_started" : String.valueOf(condition));
            });
        } else {
            for (Object item : list(deps)) {
                result.put(String.valueOf(item), "service_started");
            }
        }
        return result;
    }

    /** Whether the service defines a healthcheck that is not disabled. */
    boolean hasHealthcheck(String service) {
        Object hc = service(service).get("healthcheck");
        if (!(hc instanceof Map<?, ?> m) || Boolean.TRUE.equals(m.get("disable"))) {
            return false;
        }
        Object test = m.get("test");
        if (test == null) {
            return false;
        }
        List<?> parts = test instanceof List<?> l ? l : List.of(test);
        return !parts.isEmpty() && !"NONE".equals(String.valueOf(parts.get(0)));
    }

    /** The healthcheck's test as one string (its words joined by spaces), "" when none. */
    String healthcheckCommand(String service) {
        Object hc = service(service).get("healthcheck");
        if (!(hc instanceof Map<?, ?> m) || m.get("test") == null) {
            return "";
        }
        Object test = m.get("test");
        if (test instanceof List<?> l) {
            List<String> words = new ArrayList<>();
            l.forEach(w -> words.add(String.valueOf(w)));
            return String.join(" ", words);
        }
        return String.valueOf(test);
    }

    /** The names by which other containers reach a service: its name, hostname, container_name, aliases. */
    Set<String> dnsNames(String service) {
        Set<String> names = new LinkedHashSet<>();
        names.add(service);
        Map<String, Object> s = service(service);
        if (s.get("hostname") != null) {
            names.add(String.valueOf(s.get("hostname")));
        }
        if (s.get("container_name") != null) {
            names.add(String.valueOf(s.get("container_name")));
        }
        if (s.get("networks") instanceof Map<?, ?> networks) {
            for (Object network : networks.values()) {
                if (network instanceof Map<?, ?> n) {
                    list(n.get("aliases")).forEach(a -> names.add(String.valueOf(a)));
                }
            }
        }
        return names;
    }

    /** The service whose DNS names include host, or null. */
    String serviceForHost(String host) {
        for (String name : serviceNames()) {
            if (dnsNames(name).contains(host)) {
                return name;
            }
        }
        return null;
    }

    /** Resolves ${VAR:-default}, ${VAR-default} and ${VAR} with their defaults only ("" without one); $$ is $. */
    static String interpolate(String raw) {
        if (raw == null) {
            return null;
        }
        Matcher m = VARIABLE.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else if (m.group(2) != null && (m.group(2).endsWith("-"))) {
                replacement = m.group(3);
            } else {
                replacement = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
