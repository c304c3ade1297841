package io.bayesweep.dashboards;

import io.bayesweep.dashboards.ComposeModel.Mount;
import io.bayesweep.dashboards.ComposeModel.PortMapping;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.bayesweep.dashboards.ComposeModel.list;
import static io.bayesweep.dashboards.ComposeModel.map;

/**
 * The checks of docker-compose.yml against the code and the other configuration files. Each takes parsed, in-memory
 * values (so a test can hand it a deliberate mismatch) and returns one line per problem; each line names the file,
 * the service and the mismatched value. An empty list means the check passed.
 */
final class ComposeChecks {

    static final String KAFKA = "kafka";
    static final String POSTGRES = "postgres";
    static final String ORCHESTRATOR = "orchestrator";
    static final String WORKER = "worker";
    static final String PROMETHEUS = "prometheus";
    static final String ALERTMANAGER = "alertmanager";
    static final String GRAFANA = "grafana";

    static final String METRICS_PORT_ENV = "BAYESWEEP_METRICS_PORT";
    static final String METRICS_PATH = "/q/metrics";
    static final String ORCHESTRATOR_JOB = "bayesweep-orchestrator";
    static final String WORKER_JOB = "bayesweep-worker";

    /**
     * Variables the orchestrator container may carry that are no bayesweep property: Quarkus keys that
     * application.properties need not declare, and the options of the UBI image's run-java.sh, which starts the JVM.
     */
    static final Set<String> ORCHESTRATOR_EXTRA_ENV = Set.of(
            "QUARKUS_HTTP_PORT", "QUARKUS_HTTP_HOST", "QUARKUS_PROFILE", "QUARKUS_LOG_LEVEL",
            "KAFKA_BOOTSTRAP_SERVERS",
            "JAVA_OPTS", "JAVA_OPTS_APPEND", "JAVA_MAX_MEM_RATIO", "JAVA_INITIAL_MEM_RATIO", "JAVA_DEBUG",
            "JAVA_DEBUG_PORT", "TZ");

    /**
     * Variables the worker container may carry that no Java code reads: JVM options the worker image's entrypoint
     * expands ($JAVA_OPTS), the JVM's own, and libtorch/OpenMP's (docs/operations.md).
     */
    static final Set<String> WORKER_PROCESS_ENV = Set.of(
            "JAVA_OPTS", "JAVA_TOOL_OPTIONS", "OMP_WAIT_POLICY", "CUDA_VISIBLE_DEVICES", "TZ");

    /** The ports images listen on without being told (used when a service neither publishes nor exposes them). */
    private static final Map<String, Integer> IMAGE_PORTS = Map.of(
            "prom/prometheus", 9090, "prom/alertmanager", 9093, "grafana/grafana", 3000, "postgres", 5432,
            "apache/kafka", 9092);

    private ComposeChecks() {
    }

    // --- services, images, mounts, depends_on --------------------------------------------------------------------

    /** The seven services of the stack exist. */
    static List<String> requiredServices(ComposeModel c) {
        List<String> problems = new ArrayList<>();
        for (String s : List.of(KAFKA, POSTGRES, ORCHESTRATOR, WORKER, PROMETHEUS, ALERTMANAGER, GRAFANA)) {
            if (!c.hasService(s)) {
                problems.add(c.file + ": service '" + s + "' is missing (services: " + c.serviceNames() + ")");
            }
        }
        return problems;
    }

    /** Every service has an image or a build whose context folder and Dockerfile exist. */
    static List<String> imagesAndBuilds(ComposeModel c, Path composeDir) {
        List<String> problems = new ArrayList<>();
        for (String s : c.serviceNames()) {
            Map<String, Object> service = c.service(s);
            Object build = service.get("build");
            if (build == null) {
                if (service.get("image") == null || String.valueOf(service.get("image")).isBlank()) {
                    problems.add(c.file + ": service '" + s + "' has neither image nor build");
                }
                continue;
            }
            String context = build instanceof Map<?, ?> b ? String.valueOf(b.get("context") == null ? "." : b.get("context"))
                    : String.valueOf(build);
            String dockerfile = build instanceof Map<?, ?> b && b.get("dockerfile") != null
                    ? String.valueOf(b.get("dockerfile")) : "Dockerfile";
            Path contextDir = composeDir.resolve(ComposeModel.interpolate(context)).normalize();
            Path file = contextDir.resolve(ComposeModel.interpolate(dockerfile)).normalize();
            if (!Files.isDirectory(contextDir)) {
                problems.add(c.file + ": service '" + s + "': build context '" + context + "' is not a folder ("
                        + contextDir + ")");
            } else if (!Files.isRegularFile(file)) {
                problems.add(c.file + ": service '" + s + "': Dockerfile '" + dockerfile + "' does not exist ("
                        + file + ")");
            }
        }
        return problems;
    }

    /** Every bind-mounted host path exists; every named volume is declared at the top level. */
    static List<String> mounts(ComposeModel c, Path composeDir) {
        List<String> problems = new ArrayList<>();
        for (String s : c.serviceNames()) {
            for (Mount m : c.volumes(s)) {
                if ("bind".equals(m.type())) {
                    Path host = composeDir.resolve(m.source()).normalize();
                    if (!Files.exists(host)) {
                        problems.add(c.file + ": service '" + s + "': bind-mounted host path '" + m.source()
                                + "' does not exist (" + host + ")");
                    }
                } else if ("volume".equals(m.type()) && m.source() != null
                        && !c.declaredVolumes().contains(m.source())) {
                    problems.add(c.file + ": service '" + s + "': named volume '" + m.source()
                            + "' is not declared under the top-level volumes " + c.declaredVolumes());
                }
            }
        }
        return problems;
    }

    /** Every depends_on target exists, and has a healthcheck when the condition is service_healthy. */
    static List<String> dependsOn(ComposeModel c) {
        List<String> problems = new ArrayList<>();
        for (String s : c.serviceNames()) {
            c.dependsOn(s).forEach((target, condition) -> {
                if (!c.hasService(target)) {
                    problems.add(c.file + ": service '" + s + "' depends on '" + target + "', which is no service");
                } else if ("service_healthy".equals(condition) && !c.hasHealthcheck(target)) {
                    problems.add(c.file + ": service '" + s + "' waits for '" + target
                            + "' with condition service_healthy, but '" + target + "' has no healthcheck");
                }
            });
        }
        return problems;
    }

    // --- environment ---------------------------------------------------------------------------------------------

    /**
     * Every variable set on the orchestrator is the Quarkus environment name of a property that application.properties
     * or the @ConfigMapping interface declares, or one of {@link #ORCHESTRATOR_EXTRA_ENV}.
     */
    static List<String> orchestratorEnvironment(ComposeModel c, Set<String> declaredProperties, String declaredIn) {
        Map<String, String> byEnv = new LinkedHashMap<>();
        declaredProperties.forEach(p -> byEnv.putIfAbsent(ComposeSources.envName(p), p));
        List<String> problems = new ArrayList<>();
        for (String name : c.environment(ORCHESTRATOR).keySet()) {
            if (!byEnv.containsKey(name) && !ORCHESTRATOR_EXTRA_ENV.contains(name)) {
                problems.add(c.file + ": service '" + ORCHESTRATOR + "': environment variable '" + name
                        + "' maps to no property declared in " + declaredIn
                        + " (Quarkus rule: upper case, '.' and '-' as '_') nor to a known Quarkus/run-java variable");
            }
        }
        return problems;
    }

    /** Every variable set on the worker is one the worker's code reads, or one of {@link #WORKER_PROCESS_ENV}. */
    static List<String> workerEnvironment(ComposeModel c, Set<String> readByCode, String readIn) {
        List<String> problems = new ArrayList<>();
        for (String name : c.environment(WORKER).keySet()) {
            if (!readByCode.contains(name) && !WORKER_PROCESS_ENV.contains(name)) {
                problems.add(c.file + ": service '" + WORKER + "': environment variable '" + name
                        + "' is read by no code in " + readIn + " (it reads " + readByCode + ")");
            }
        }
        return problems;
    }

    // --- ports and health ----------------------------------------------------------------------------------------

    /** The orchestrator's HTTP port: QUARKUS_HTTP_PORT on the service, else quarkus.http.port, else 8080. */
    static int orchestratorHttpPort(ComposeModel c, Properties applicationProperties) {
        String override = c.env(ORCHESTRATOR, "QUARKUS_HTTP_PORT");
        String port = override != null ? override : applicationProperties.getProperty("quarkus.http.port", "8080");
        return Integer.parseInt(port.trim());
    }

    /** The worker's metrics port (BAYESWEEP_METRICS_PORT), or null when it is not set or not a number. */
    static Integer workerMetricsPort(ComposeModel c) {
        String value = c.env(WORKER, METRICS_PORT_ENV);
        try {
            return value == null ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Every port the orchestrator publishes or exposes is its HTTP port, and it publishes at least one. */
    static List<String> orchestratorPorts(ComposeModel c, Properties applicationProperties, String propertiesFile) {
        List<String> problems = new ArrayList<>();
        if (!c.hasService(ORCHESTRATOR)) {
            return List.of(c.file + ": service '" + ORCHESTRATOR + "' is missing");
        }
        int http = orchestratorHttpPort(c, applicationProperties);
        String source = c.env(ORCHESTRATOR, "QUARKUS_HTTP_PORT") != null ? "QUARKUS_HTTP_PORT on the service"
                : "quarkus.http.port in " + propertiesFile;
        List<PortMapping> ports = c.ports(ORCHESTRATOR);
        for (PortMapping p : ports) {
            if (p.containerPort() != http) {
                problems.add(c.file + ": service '" + ORCHESTRATOR + "': published container port "
                        + p.containerPort() + " ('" + p.raw() + "') is not the HTTP port " + http + " (" + source + ")");
            }
        }
        for (int port : c.expose(ORCHESTRATOR)) {
            if (port != http) {
                problems.add(c.file + ": service '" + ORCHESTRATOR + "': exposed port " + port
                        + " is not the HTTP port " + http + " (" + source + ")");
            }
        }
        if (ports.isEmpty() && c.expose(ORCHESTRATOR).isEmpty()) {
            problems.add(c.file + ": service '" + ORCHESTRATOR + "' publishes no port (expected " + http + ")");
        }
        return problems;
    }

    /**
     * The worker can be scaled (no container_name, no published port), sets BAYESWEEP_METRICS_PORT, and exposes that
     * port if it exposes any.
     */
    static List<String> workerScaling(ComposeModel c) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> worker = c.service(WORKER);
        if (worker.get("container_name") != null) {
            problems.add(c.file + ": service '" + WORKER + "' has container_name '" + worker.get("container_name")
                    + "': `docker compose up --scale worker=N` needs none");
        }
        for (PortMapping p : c.ports(WORKER)) {
            problems.add(c.file + ": service '" + WORKER + "' publishes port '" + p.raw()
                    + "': a host port mapping stops `--scale worker=N`; use expose");
        }
        Integer metrics = workerMetricsPort(c);
        if (metrics == null) {
            problems.add(c.file + ": service '" + WORKER + "': " + METRICS_PORT_ENV + " is not set to a port number ("
                    + c.env(WORKER, METRICS_PORT_ENV) + ")");
        } else if (!c.expose(WORKER).isEmpty() && !c.expose(WORKER).contains(metrics)) {
            problems.add(c.file + ": service '" + WORKER + "': expose " + c.expose(WORKER) + " lacks "
                    + METRICS_PORT_ENV + "=" + metrics);
        }
        return problems;
    }

    /** The orchestrator's healthcheck asks /q/health/ready on its HTTP port; the worker's /q/health/live on its metrics port. */
    static List<String> healthchecks(ComposeModel c, Properties applicationProperties) {
        List<String> problems = new ArrayList<>();
        int http = orchestratorHttpPort(c, applicationProperties);
        problems.addAll(healthcheckAsks(c, ORCHESTRATOR, "/q/health/ready", http));
        Integer metrics = workerMetricsPort(c);
        if (metrics != null) {
            problems.addAll(healthcheckAsks(c, WORKER, "/q/health/live", metrics));
        }
        return problems;
    }

    private static List<String> healthcheckAsks(ComposeModel c, String service, String path, int port) {
        String cmd = c.healthcheckCommand(service);
        List<String> problems = new ArrayList<>();
        if (!c.hasHealthcheck(service)) {
            return List.of(c.file + ": service '" + service + "' has no healthcheck (expected one on " + path + ")");
        }
        if (!cmd.contains(path)) {
            problems.add(c.file + ": service '" + service + "': healthcheck '" + cmd + "' does not ask " + path);
        }
        if (!Pattern.compile("[:/]" + port + "(?![0-9])").matcher(cmd).find()) {
            problems.add(c.file + ": service '" + service + "': healthcheck '" + cmd + "' does not use port " + port);
        }
        return problems;
    }

    /**
     * The ports a service listens on inside the compose network: for the orchestrator its HTTP port, for the worker
     * BAYESWEEP_METRICS_PORT (what the code binds, whatever ports/expose declare); for the others the container ports
     * of ports and expose, the KAFKA_LISTENERS ports, and the images' default ports.
     */
    static Set<Integer> listeningPorts(ComposeModel c, String service, Properties applicationProperties) {
        Set<Integer> ports = new TreeSet<>();
        if (service.equals(ORCHESTRATOR)) {
            ports.add(orchestratorHttpPort(c, applicationProperties));
            return ports;
        }
        if (service.equals(WORKER)) {
            Integer metrics = workerMetricsPort(c);
            if (metrics != null) {
                ports.add(metrics);
            }
            return ports;
        }
        c.ports(service).forEach(p -> ports.add(p.containerPort()));
        ports.addAll(c.expose(service));
        if (service.equals(KAFKA)) {
            kafkaListenerPorts(c).values().forEach(ports::add);
        }
        String image = String.valueOf(c.service(service).get("image"));
        String repository = image.replaceFirst(":[^/:]*$", "").replaceFirst("^docker\\.io/", "")
                .replaceFirst("^library/", "");
        if (IMAGE_PORTS.containsKey(repository)) {
            ports.add(IMAGE_PORTS.get(repository));
        }
        return ports;
    }

    // --- Prometheus, Alertmanager, Grafana -------------------------------------------------------------------

    /**
     * Every Prometheus scrape target and Alertmanager target names a compose service and a port it listens on; the
     * orchestrator and the workers are scraped on /q/metrics under the job names of docs/observability.md, the workers
     * through DNS service discovery (a static target would scrape one replica); rule files lie under a mounted path.
     */
    static List<String> prometheus(ComposeModel c, Map<String, Object> prom, String promFile,
                                   Properties applicationProperties) {
        List<String> problems = new ArrayList<>();
        boolean orchestratorScraped = false;
        boolean workersScraped = false;
        int http = orchestratorHttpPort(c, applicationProperties);
        Integer metricsPort = workerMetricsPort(c);
        for (Object item : list(prom.get("scrape_configs"))) {
            Map<String, Object> job = map(item);
            String jobName = String.valueOf(job.get("job_name"));
            String path = job.get("metrics_path") == null ? "/metrics" : String.valueOf(job.get("metrics_path"));
            List<String[]> targets = new ArrayList<>(); // {host, port, how}
            for (Object sc : list(job.get("static_configs"))) {
                for (Object t : list(map(sc).get("targets"))) {
                    String target = String.valueOf(t);
                    int colon = target.lastIndexOf(':');
                    targets.add(colon < 0 ? new String[]{target, "", "static"}
                            : new String[]{target.substring(0, colon), target.substring(colon + 1), "static"});
                }
            }
            for (Object dns : list(job.get("dns_sd_configs"))) {
                Map<String, Object> d = map(dns);
                String type = d.get("type") == null ? "SRV" : String.valueOf(d.get("type"));
                for (Object n : list(d.get("names"))) {
                    targets.add(new String[]{String.valueOf(n), d.get("port") == null ? "" : String.valueOf(d.get("port")),
                            "dns " + type});
                }
            }
            for (String[] t : targets) {
                String host = t[0];
                String where = promFile + ": job '" + jobName + "': target '" + host + ":" + t[1] + "'";
                String service = "localhost".equals(host) || "127.0.0.1".equals(host) ? PROMETHEUS : c.serviceForHost(host);
                if (service == null) {
                    problems.add(where + " names no service of " + c.file + " " + c.serviceNames());
                    continue;
                }
                Integer port = parsePort(t[1]);
                Set<Integer> listening = listeningPorts(c, service, applicationProperties);
                if (port == null || !listening.contains(port)) {
                    problems.add(where + ": service '" + service + "' listens on " + listening + " in " + c.file
                            + ", not on '" + t[1] + "'");
                    continue;
                }
                if (service.equals(ORCHESTRATOR)) {
                    orchestratorScraped = true;
                    problems.addAll(scrapeContract(promFile, jobName, path, ORCHESTRATOR_JOB, ORCHESTRATOR));
                } else if (service.equals(WORKER)) {
                    workersScraped = true;
                    problems.addAll(scrapeContract(promFile, jobName, path, WORKER_JOB, WORKER));
                    if (!t[2].equals("dns A")) {
                        problems.add(where + ": service '" + WORKER + "' is scaled (--scale worker=N): scrape it with"
                                + " dns_sd_configs (type A, names [" + WORKER + "]), not " + t[2]
                                + ", or only one replica is scraped");
                    }
                }
            }
        }
        if (!orchestratorScraped) {
            problems.add(promFile + ": no scrape target is service '" + ORCHESTRATOR + "' on port " + http
                    + " (quarkus.http.port)");
        }
        if (!workersScraped) {
            problems.add(promFile + ": no scrape target is service '" + WORKER + "' on port " + metricsPort + " ("
                    + METRICS_PORT_ENV + " in " + c.file + ")");
        }
        Map<String, Object> alerting = map(prom.get("alerting"));
        for (Object am : list(alerting.get("alertmanagers"))) {
            for (Object sc : list(map(am).get("static_configs"))) {
                for (Object t : list(map(sc).get("targets"))) {
                    problems.addAll(hostPortPointsAt(c, String.valueOf(t), ALERTMANAGER, promFile + ": alerting target",
                            applicationProperties));
                }
            }
        }
        Set<String> mounted = new LinkedHashSet<>();
        c.volumes(PROMETHEUS).forEach(m -> mounted.add(m.target()));
        for (Object rf : list(prom.get("rule_files"))) {
            String rule = String.valueOf(rf);
            String absolute = rule.startsWith("/") ? rule : "/etc/prometheus/" + rule;
            boolean covered = mounted.stream().anyMatch(t -> absolute.equals(t) || absolute.startsWith(t + "/"));
            if (!covered) {
                problems.add(promFile + ": rule_files entry '" + rule + "' is under no path that " + c.file
                        + " mounts into service '" + PROMETHEUS + "' " + mounted);
            }
        }
        return problems;
    }

    private static List<String> scrapeContract(String promFile, String jobName, String path, String expectedJob,
                                               String service) {
        List<String> problems = new ArrayList<>();
        if (!METRICS_PATH.equals(path)) {
            problems.add(promFile + ": job '" + jobName + "' scrapes service '" + service + "' on path '" + path
                    + "', not " + METRICS_PATH);
        }
        if (!expectedJob.equals(jobName)) {
            problems.add(promFile + ": job '" + jobName + "' scrapes service '" + service + "'; docs/observability.md"
                    + " names its job '" + expectedJob + "'");
        }
        return problems;
    }

    /**
     * Every Alertmanager webhook URL is the orchestrator service on its HTTP port, on a path one of its JAX-RS resources
     * serves (orchestratorPaths; not checked when empty), and there is at least one.
     */
    static List<String> alertmanager(ComposeModel c, Map<String, Object> am, String amFile,
                                     Properties applicationProperties, Set<String> orchestratorPaths) {
        List<String> problems = new ArrayList<>();
        boolean toOrchestrator = false;
        for (Object r : list(am.get("receivers"))) {
            Map<String, Object> receiver = map(r);
            for (Object w : list(receiver.get("webhook_configs"))) {
                String url = String.valueOf(map(w).get("url"));
                String where = amFile + ": receiver '" + receiver.get("name") + "': webhook url '" + url + "'";
                List<String> found = new ArrayList<>(urlPointsAt(c, url, ORCHESTRATOR, where, applicationProperties));
                if (found.isEmpty() && !orchestratorPaths.isEmpty()) {
                    String path = URI.create(url).getPath();
                    if (!ComposeSources.matchesPath(path == null ? "/" : path, orchestratorPaths)) {
                        found.add(where + ": path '" + path + "' is served by no JAX-RS resource of service '"
                                + ORCHESTRATOR + "' (" + orchestratorPaths + ")");
                    }
                }
                toOrchestrator |= found.isEmpty();
                problems.addAll(found);
            }
        }
        if (!toOrchestrator && problems.isEmpty()) {
            problems.add(amFile + ": no webhook_configs url points at service '" + ORCHESTRATOR + "' on port "
                    + orchestratorHttpPort(c, applicationProperties));
        }
        return problems;
    }

    private static final Pattern ENV_REF = Pattern.compile(
            "(?<!\\$)\\$(?:__env\\{([A-Za-z_][A-Za-z0-9_]*)}|\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

    /**
     * Grafana datasources: every URL names a compose service and a port it listens on; the PostgreSQL datasource's
     * database, user and password are the postgres service's; every $VAR a file uses is set on the grafana service.
     */
    static List<String> grafanaDatasources(ComposeModel c, Map<String, Map<String, Object>> files,
                                           Properties applicationProperties) {
        List<String> problems = new ArrayList<>();
        if (files.isEmpty()) {
            return List.of("no Grafana datasource file (dashboards/grafana/provisioning/datasources/*.yml)");
        }
        Map<String, String> grafanaEnv = c.environment(GRAFANA);
        for (Map.Entry<String, Map<String, Object>> file : files.entrySet()) {
            String name = file.getKey();
            Set<String> refs = new TreeSet<>();
            collectEnvRefs(file.getValue(), refs);
            for (String ref : refs) {
                if (!grafanaEnv.containsKey(ref)) {
                    problems.add(name + ": uses $" + ref + ", which " + c.file + " does not set on service '" + GRAFANA
                            + "' " + grafanaEnv.keySet());
                }
            }
            for (Object d : list(file.getValue().get("datasources"))) {
                Map<String, Object> ds = map(d);
                String type = String.valueOf(ds.get("type"));
                String where = name + ": datasource '" + ds.get("name") + "'";
                if (ds.get("url") == null) {
                    problems.add(where + " has no url");
                    continue;
                }
                String url = String.valueOf(ds.get("url"));
                boolean postgres = type.equals("postgres") || type.equals("grafana-postgresql-datasource");
                String expected = postgres ? POSTGRES : type.equals("prometheus") ? PROMETHEUS
                        : type.equals("alertmanager") ? ALERTMANAGER : null;
                problems.addAll(urlPointsAt(c, url, expected, where + " url '" + url + "'", applicationProperties));
                if (postgres) {
                    problems.addAll(postgresDatasource(c, ds, where, grafanaEnv));
                }
            }
        }
        return problems;
    }

    private static List<String> postgresDatasource(ComposeModel c, Map<String, Object> ds, String where,
                                                   Map<String, String> grafanaEnv) {
        List<String> problems = new ArrayList<>();
        String db = postgresDatabase(c);
        String user = postgresUser(c);
        Object database = map(ds.get("jsonData")).get("database") != null ? map(ds.get("jsonData")).get("database")
                : ds.get("database");
        if (!db.equals(String.valueOf(database))) {
            problems.add(where + ": database '" + database + "' is not POSTGRES_DB '" + db + "' of service '" + POSTGRES
                    + "' in " + c.file);
        }
        if (!user.equals(String.valueOf(ds.get("user")))) {
            problems.add(where + ": user '" + ds.get("user") + "' is not POSTGRES_USER '" + user + "' of service '"
                    + POSTGRES + "' in " + c.file);
        }
        Object password = map(ds.get("secureJsonData")).get("password");
        String pgPassword = c.environment(POSTGRES).get("POSTGRES_PASSWORD");
        if (password == null) {
            problems.add(where + ": no secureJsonData.password (service '" + POSTGRES + "' has POSTGRES_PASSWORD)");
        } else {
            Matcher m = ENV_REF.matcher(String.valueOf(password));
            String value;
            if (m.matches()) {
                String ref = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                value = grafanaEnv.get(ref);
            } else {
                value = String.valueOf(password);
            }
            if (value == null || !(value.equals(pgPassword)
                    || ComposeModel.interpolate(value).equals(ComposeModel.interpolate(pgPassword)))) {
                problems.add(where + ": password '" + password + "' (= '" + value + "' on service '" + GRAFANA
                        + "') is not POSTGRES_PASSWORD '" + pgPassword + "' of service '" + POSTGRES + "' in " + c.file);
            }
        }
        return problems;
    }

    private static void collectEnvRefs(Object node, Set<String> out) {
        if (node instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectEnvRefs(v, out));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectEnvRefs(v, out));
        } else if (node instanceof String s) {
            Matcher m = ENV_REF.matcher(s);
            while (m.find()) {
                String ref = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                if (!ref.startsWith("__")) {
                    out.add(ref);
                }
            }
        }
    }

    /** Every dashboard provider's options.path lies under a path mounted into the grafana service. */
    static List<String> grafanaDashboardProviders(ComposeModel c, Map<String, Map<String, Object>> files) {
        List<String> problems = new ArrayList<>();
        Set<String> mounted = new LinkedHashSet<>();
        c.volumes(GRAFANA).stream().filter(m -> "bind".equals(m.type())).forEach(m -> mounted.add(m.target()));
        for (Map.Entry<String, Map<String, Object>> file : files.entrySet()) {
            for (Object p : list(file.getValue().get("providers"))) {
                Object path = map(map(p).get("options")).get("path");
                String text = String.valueOf(path);
                if (path == null || mounted.stream().noneMatch(t -> text.equals(t) || text.startsWith(t + "/"))) {
                    problems.add(file.getKey() + ": provider '" + map(p).get("name") + "': path '" + path
                            + "' is under no folder that " + c.file + " bind-mounts into service '" + GRAFANA + "' "
                            + mounted);
                }
            }
        }
        return problems;
    }

    private static List<String> urlPointsAt(ComposeModel c, String url, String expectedService, String where,
                                            Properties applicationProperties) {
        URI uri;
        try {
            uri = URI.create(url.contains("://") ? url : "tcp://" + url);
        } catch (IllegalArgumentException e) {
            return List.of(where + " is not a URL");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return hostPortPointsAt(c, uri.getHost() + ":" + port, expectedService, where, applicationProperties);
    }

    private static List<String> hostPortPointsAt(ComposeModel c, String hostPort, String expectedService, String where,
                                                 Properties applicationProperties) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        Integer port = colon < 0 ? null : parsePort(hostPort.substring(colon + 1));
        String service = c.serviceForHost(host);
        if (service == null) {
            return List.of(where + ": host '" + host + "' is no service of " + c.file + " " + c.serviceNames());
        }
        if (expectedService != null && !expectedService.equals(service)) {
            return List.of(where + ": host '" + host + "' is service '" + service + "', expected '" + expectedService
                    + "'");
        }
        Set<Integer> listening = listeningPorts(c, service, applicationProperties);
        if (port == null || !listening.contains(port)) {
            return List.of(where + ": port " + port + " is not one service '" + service + "' listens on " + listening
                    + " in " + c.file);
        }
        return List.of();
    }

    // --- Kafka and PostgreSQL ----------------------------------------------------------------------------------

    private record Listener(String name, String host, int port) {
    }

    private static List<Listener> listeners(String value) {
        List<Listener> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        for (String part : value.split(",")) {
            Matcher m = Pattern.compile("\\s*([A-Za-z0-9_]+)://(\\[[^]]*]|[^:]*):(\\d+)\\s*").matcher(part);
            if (m.matches()) {
                result.add(new Listener(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
            }
        }
        return result;
    }

    private static Map<String, Integer> kafkaListenerPorts(ComposeModel c) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        listeners(c.env(KAFKA, "KAFKA_LISTENERS")).forEach(l -> ports.put(l.name(), l.port()));
        return ports;
    }

    /**
     * Every KAFKA_BOOTSTRAP_SERVERS entry of a service is an advertised listener of the kafka service that names it and
     * is bound on that port inside the container; an advertised localhost listener is published on that host port.
     */
    static List<String> kafkaListeners(ComposeModel c) {
        List<String> problems = new ArrayList<>();
        String advertisedRaw = c.env(KAFKA, "KAFKA_ADVERTISED_LISTENERS");
        List<Listener> advertised = listeners(advertisedRaw);
        Map<String, Integer> bound = kafkaListenerPorts(c);
        if (advertised.isEmpty()) {
            return List.of(c.file + ": service '" + KAFKA + "' sets no KAFKA_ADVERTISED_LISTENERS");
        }
        Set<String> kafkaNames = c.dnsNames(KAFKA);
        for (Listener a : advertised) {
            String where = c.file + ": service '" + KAFKA + "': advertised listener '" + a.name() + "://" + a.host()
                    + ":" + a.port() + "'";
            Integer containerPort = bound.get(a.name());
            if (containerPort == null) {
                problems.add(where + " is not in KAFKA_LISTENERS '" + c.env(KAFKA, "KAFKA_LISTENERS") + "'");
            } else if (kafkaNames.contains(a.host()) && containerPort != a.port()) {
                problems.add(where + " is bound on port " + containerPort + " (KAFKA_LISTENERS), not " + a.port());
            } else if (a.host().equals("localhost") || a.host().equals("127.0.0.1")) {
                boolean published = c.ports(KAFKA).stream().anyMatch(p -> p.hostPort() != null
                        && p.hostPort() == a.port() && p.containerPort() == containerPort);
                if (!published) {
                    problems.add(where + ": no ports entry publishes host port " + a.port() + " to container port "
                            + containerPort);
                }
            } else if (!kafkaNames.contains(a.host())) {
                problems.add(where + ": host '" + a.host() + "' is neither service '" + KAFKA + "' " + kafkaNames
                        + " nor localhost");
            }
        }
        int clients = 0;
        for (String s : c.serviceNames()) {
            String bootstrap = c.env(s, "KAFKA_BOOTSTRAP_SERVERS");
            if (bootstrap == null) {
                continue;
            }
            clients++;
            for (String server : bootstrap.split(",")) {
                String hp = server.trim();
                int colon = hp.lastIndexOf(':');
                String host = colon < 0 ? hp : hp.substring(0, colon);
                Integer port = colon < 0 ? null : parsePort(hp.substring(colon + 1));
                boolean matches = advertised.stream().anyMatch(a -> a.host().equals(host) && port != null
                        && a.port() == port && kafkaNames.contains(host));
                if (!matches) {
                    problems.add(c.file + ": service '" + s + "': KAFKA_BOOTSTRAP_SERVERS entry '" + hp
                            + "' is no advertised listener of service '" + KAFKA + "' reachable in the network ('"
                            + advertisedRaw + "')");
                }
            }
        }
        for (String s : List.of(ORCHESTRATOR, WORKER)) {
            if (c.hasService(s) && c.env(s, "KAFKA_BOOTSTRAP_SERVERS") == null) {
                problems.add(c.file + ": service '" + s + "' sets no KAFKA_BOOTSTRAP_SERVERS (its default is"
                        + " localhost, which is not the broker in a container)");
            }
        }
        return clients == 0 ? List.of(c.file + ": no service sets KAFKA_BOOTSTRAP_SERVERS") : problems;
    }

    static String postgresDatabase(ComposeModel c) {
        String db = c.env(POSTGRES, "POSTGRES_DB");
        return db != null ? db : postgresUser(c);
    }

    static String postgresUser(ComposeModel c) {
        String user = c.env(POSTGRES, "POSTGRES_USER");
        return user != null ? user : "postgres";
    }

    /** The orchestrator's JDBC URL, user and password are the postgres service's. */
    static List<String> orchestratorStore(ComposeModel c, Properties applicationProperties) {
        List<String> problems = new ArrayList<>();
        String where = c.file + ": service '" + ORCHESTRATOR + "': ";
        String jdbc = c.env(ORCHESTRATOR, "BAYESWEEP_STORE_JDBC_URL");
        if (jdbc == null || !jdbc.startsWith("jdbc:postgresql://")) {
            return List.of(where + "BAYESWEEP_STORE_JDBC_URL '" + jdbc + "' is no jdbc:postgresql:// URL (without it"
                    + " the orchestrator uses its embedded H2 store)");
        }
        URI uri = URI.create(jdbc.substring("jdbc:".length()));
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        if (!c.dnsNames(POSTGRES).contains(uri.getHost())) {
            problems.add(where + "BAYESWEEP_STORE_JDBC_URL host '" + uri.getHost() + "' is not service '" + POSTGRES + "'");
        } else if (!listeningPorts(c, POSTGRES, applicationProperties).contains(port)) {
            problems.add(where + "BAYESWEEP_STORE_JDBC_URL port " + port + " is not one service '" + POSTGRES
                    + "' listens on");
        }
        String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!db.equals(postgresDatabase(c))) {
            problems.add(where + "BAYESWEEP_STORE_JDBC_URL database '" + db + "' is not POSTGRES_DB '"
                    + postgresDatabase(c) + "'");
        }
        String user = c.env(ORCHESTRATOR, "BAYESWEEP_STORE_USERNAME");
        if (user == null) {
            user = applicationProperties.getProperty("bayesweep.store.username");
        }
        if (!postgresUser(c).equals(user)) {
            problems.add(where + "BAYESWEEP_STORE_USERNAME '" + user + "' is not POSTGRES_USER '" + postgresUser(c) + "'");
        }
        String password = c.environment(ORCHESTRATOR).get("BAYESWEEP_STORE_PASSWORD");
        String pgPassword = c.environment(POSTGRES).get("POSTGRES_PASSWORD");
        if (password == null || !password.equals(pgPassword)) {
            problems.add(where + "BAYESWEEP_STORE_PASSWORD '" + password + "' is not POSTGRES_PASSWORD '" + pgPassword
                    + "' of service '" + POSTGRES + "'");
        }
        return problems;
    }

    /**
     * The orchestrator and the workers name the same artifacts folder, and each mounts the same named volume there
     * (the orchestrator serves the grids the workers write; workers take over each other's checkpoints).
     */
    static List<String> sharedArtifacts(ComposeModel c) {
        List<String> problems = new ArrayList<>();
        String workerDir = c.env(WORKER, "BAYESWEEP_ARTIFACTS_DIR");
        String orchestratorDir = c.env(ORCHESTRATOR, "BAYESWEEP_ARTIFACTS_DIR");
        if (workerDir == null || !workerDir.equals(orchestratorDir)) {
            return List.of(c.file + ": BAYESWEEP_ARTIFACTS_DIR differs: service '" + WORKER + "' '" + workerDir
                    + "', service '" + ORCHESTRATOR + "' '" + orchestratorDir + "'");
        }
        String volume = null;
        for (String s : List.of(WORKER, ORCHESTRATOR)) {
            Mount mount = c.volumes(s).stream().filter(m -> workerDir.equals(m.target())).findFirst().orElse(null);
            if (mount == null || !"volume".equals(mount.type()) || mount.source() == null) {
                problems.add(c.file + ": service '" + s + "' mounts no named volume at BAYESWEEP_ARTIFACTS_DIR '"
                        + workerDir + "'");
            } else if (volume == null) {
                volume = mount.source();
            } else if (!volume.equals(mount.source())) {
                problems.add(c.file + ": service '" + s + "' mounts volume '" + mount.source() + "' at '" + workerDir
                        + "', service '" + WORKER + "' mounts '" + volume + "'");
            }
        }
        c.volumes(WORKER).stream().filter(m -> workerDir.equals(m.target()) && m.readOnly()).forEach(m ->
                problems.add(c.file + ": service '" + WORKER + "' mounts '" + m.raw() + "' read-only; workers write it"));
        return problems;
    }

    // --- Dockerfiles ---------------------------------------------------------------------------------------------

    /**
     * What a Dockerfile copies from the build context is not left out by the context's .dockerignore (a path with
     * wildcards is tried with each '*' as one file name).
     */
    static List<String> copySourcesNotIgnored(String dockerfileName, List<String> copySources,
                                              ComposeSources.DockerIgnore ignore, String ignoreName) {
        List<String> problems = new ArrayList<>();
        for (String source : copySources) {
            String sample = source.replace("*", "x");
            if (ignore.excludes(sample)) {
                problems.add(dockerfileName + ": COPY source '" + source + "' is left out of the build context by "
                        + ignoreName);
            }
        }
        if (copySources.isEmpty()) {
            problems.add(dockerfileName + ": copies nothing from the build context");
        }
        return problems;
    }

    static Integer parsePort(String text) {
        try {
            return Integer.valueOf(ComposeModel.interpolate(text).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
