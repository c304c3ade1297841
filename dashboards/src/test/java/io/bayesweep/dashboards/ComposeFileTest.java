package io.bayesweep.dashboards;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.bayesweep.dashboards.ComposeChecks.ORCHESTRATOR;
import static io.bayesweep.dashboards.ComposeChecks.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks docker-compose.yml statically (no Docker engine is needed): against the orchestrator's configuration, the
 * environment the worker's code reads, the Dockerfiles and .dockerignore, and the Prometheus, Alertmanager and
 * Grafana files it mounts. The checks live in {@link ComposeChecks} and take parsed values, so the last tests hand
 * them deliberate mismatches and show each one is reported (with the file, the service and the value).
 */
class ComposeFileTest {

    private static final String COMPOSE = "docker-compose.yml";
    private static final String APP_PROPERTIES = "orchestrator/src/main/resources/application.properties";
    private static final String ORCHESTRATOR_CONFIG =
            "orchestrator/src/main/java/io/bayesweep/orchestrator/config/OrchestratorConfig.java";
    private static final String PROMETHEUS_YML = "dashboards/prometheus/prometheus.yml";
    private static final String ALERTMANAGER_YML = "dashboards/alertmanager/alertmanager.yml";
    private static final String GRAFANA_DATASOURCES = "dashboards/grafana/provisioning/datasources";
    private static final String GRAFANA_DASHBOARD_PROVIDERS = "dashboards/grafana/provisioning/dashboards";

    private static Path repo;
    private static ComposeModel compose;
    private static Properties appProperties;

    @BeforeAll
    static void load() {
        repo = ComposeSources.repoRoot();
        assertThat(repo.resolve(COMPOSE)).as("the compose file at the repository root").isRegularFile();
        compose = new ComposeModel(COMPOSE, ComposeSources.readYaml(repo.resolve(COMPOSE)));
        appProperties = ComposeSources.properties(ComposeSources.read(repo.resolve(APP_PROPERTIES)));
    }

    // --- the real files --------------------------------------------------------------------------------------------

    @Test
    void theStackHasItsSevenServices() {
        assertThat(ComposeChecks.requiredServices(compose)).isEmpty();
    }

    @Test
    void everyServiceHasAnImageOrABuildWhoseDockerfileExists() {
        assertThat(ComposeChecks.imagesAndBuilds(compose, repo)).isEmpty();
    }

    @Test
    void everyBindMountedHostPathExistsAndEveryNamedVolumeIsDeclared() {
        assertThat(ComposeChecks.mounts(compose, repo)).isEmpty();
    }

    @Test
    void everyDependencyExistsAndHasAHealthcheckWhenWaitedForAsHealthy() {
        assertThat(ComposeChecks.dependsOn(compose)).isEmpty();
    }

    @Test
    void everyOrchestratorVariableIsADeclaredProperty() {
        Set<String> mapping = ComposeSources.configMappingProperties(
                ComposeSources.read(repo.resolve(ORCHESTRATOR_CONFIG)));
        assertThat(mapping).as("properties parsed from " + ORCHESTRATOR_CONFIG)
                .contains("bayesweep.store.jdbc-url", "bayesweep.artifacts.dir", "bayesweep.data-dir");
        Set<String> declared = new TreeSet<>(ComposeSources.propertyKeys(appProperties));
        declared.addAll(mapping);
        assertThat(ComposeChecks.orchestratorEnvironment(compose, declared,
                APP_PROPERTIES + " or " + ORCHESTRATOR_CONFIG)).isEmpty();
    }

    @Test
    void everyWorkerVariableIsOneTheWorkersCodeReads() {
        Set<String> read = ComposeSources.workerEnvironmentNames(repo);
        assertThat(read).as("environment names found in the worker's sources")
                .contains("KAFKA_BOOTSTRAP_SERVERS", "BAYESWEEP_ARTIFACTS_DIR");
        assertThat(ComposeChecks.workerEnvironment(compose, read,
                "worker/src/main/java and the main sources of its io.bayesweep dependencies")).isEmpty();
    }

    @Test
    void theOrchestratorPublishesItsHttpPort() {
        List<String> problems = new ArrayList<>(ComposeChecks.orchestratorPorts(compose, appProperties, APP_PROPERTIES));
        int http = ComposeChecks.orchestratorHttpPort(compose, appProperties);
        String dockerfile = "orchestrator/src/main/docker/Dockerfile.jvm";
        for (ComposeSources.Instruction ins : ComposeSources.dockerfile(ComposeSources.read(repo.resolve(dockerfile)))) {
            if (ins.keyword().equals("EXPOSE") && !ins.args().contains(String.valueOf(http))) {
                problems.add(dockerfile + ": '" + ins.line() + "' does not expose the HTTP port " + http);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theWorkerCanBeScaledAndServesItsMetricsPort() {
        assertThat(ComposeChecks.workerScaling(compose)).isEmpty();
    }

    @Test
    void theHealthchecksAskTheHealthEndpoints() {
        assertThat(ComposeChecks.healthchecks(compose, appProperties)).isEmpty();
    }

    @Test
    void prometheusScrapesComposeServicesOnThePortsTheyListenOn() {
        Path file = repo.resolve(PROMETHEUS_YML);
        assertThat(file).as(PROMETHEUS_YML + " (mounted by service 'prometheus')").isRegularFile();
        assertThat(ComposeChecks.prometheus(compose, ComposeSources.readYaml(file), PROMETHEUS_YML, appProperties))
                .isEmpty();
    }

    @Test
    void alertmanagerCallsTheOrchestratorsWebhook() {
        Path file = repo.resolve(ALERTMANAGER_YML);
        assertThat(file).as(ALERTMANAGER_YML + " (mounted by service 'alertmanager')").isRegularFile();
        Set<String> paths = ComposeSources.jaxrsPaths(repo.resolve("orchestrator/src/main/java"), appProperties);
        assertThat(paths).as("JAX-RS paths parsed from orchestrator/src/main/java").contains("/api/sweeps/{id}");
        assertThat(ComposeChecks.alertmanager(compose, ComposeSources.readYaml(file), ALERTMANAGER_YML, appProperties,
                paths)).isEmpty();
    }

    @Test
    void grafanaDatasourcesPointAtComposeServicesWithThePostgresCredentials() {
        assertThat(repo.resolve(GRAFANA_DATASOURCES)).as(GRAFANA_DATASOURCES).isDirectory();
        assertThat(ComposeChecks.grafanaDatasources(compose, yamlFiles(GRAFANA_DATASOURCES), appProperties)).isEmpty();
    }

    @Test
    void grafanaDashboardProvidersReadAMountedFolder() {
        assertThat(repo.resolve(GRAFANA_DASHBOARD_PROVIDERS)).as(GRAFANA_DASHBOARD_PROVIDERS).isDirectory();
        assertThat(ComposeChecks.grafanaDashboardProviders(compose, yamlFiles(GRAFANA_DASHBOARD_PROVIDERS))).isEmpty();
    }

    @Test
    void kafkaAdvertisesWhatTheOrchestratorAndTheWorkersUse() {
        assertThat(ComposeChecks.kafkaListeners(compose)).isEmpty();
    }

    @Test
    void theOrchestratorStoresInThePostgresService() {
        assertThat(ComposeChecks.orchestratorStore(compose, appProperties)).isEmpty();
    }

    @Test
    void theOrchestratorAndTheWorkersShareTheArtifactsVolume() {
        assertThat(ComposeChecks.sharedArtifacts(compose)).isEmpty();
    }

    @Test
    void theImagesCopyTheMavenBuildOutputThroughTheDockerignore() {
        List<String> problems = new ArrayList<>();
        for (String service : List.of(ORCHESTRATOR, WORKER)) {
            Object build = compose.service(service).get("build");
            if (!(build instanceof Map<?, ?> b)) {
                problems.add(COMPOSE + ": service '" + service + "' has no build section with a context and a dockerfile");
                continue;
            }
            Path context = repo.resolve(String.valueOf(b.get("context"))).normalize();
            String dockerfileName = repo.relativize(context.resolve(String.valueOf(b.get("dockerfile")))).toString();
            String text = ComposeSources.read(context.resolve(String.valueOf(b.get("dockerfile"))));
            Path ignoreFile = context.resolve(".dockerignore");
            ComposeSources.DockerIgnore ignore = new ComposeSources.DockerIgnore(
                    Files.isRegularFile(ignoreFile) ? ComposeSources.read(ignoreFile) : "");
            List<String> sources = ComposeSources.copySources(ComposeSources.dockerfile(text));
            problems.addAll(ComposeChecks.copySourcesNotIgnored(dockerfileName, sources, ignore,
                    repo.relativize(ignoreFile).toString()));
            if (service.equals(WORKER)) {
                String jar = "worker/target/" + ComposeSources.moduleJarName(ComposeSources.read(repo.resolve("worker/pom.xml")));
                if (!sources.contains(jar)) {
                    problems.add(dockerfileName + ": copies " + sources + ", not the worker jar '" + jar
                            + "' that worker/pom.xml builds");
                }
                if (!text.contains("-Dai.djl.offline=true") || !text.contains("-DOPT_OUT_TRACKING=true")) {
                    problems.add(dockerfileName + ": the java command lacks -Dai.djl.offline=true -DOPT_OUT_TRACKING=true"
                            + " (docs/operations.md)");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    // --- the checks catch mismatches (in-memory variants, the real files untouched) ------------------------------

    @Test
    void aWrongOrchestratorPortIsReported() {
        Map<String, Object> root = ComposeSources.readYaml(repo.resolve(COMPOSE));
        ComposeModel.map(ComposeModel.map(root.get("services")).get(ORCHESTRATOR)).put("ports", List.of("8081:8081"));
        ComposeModel changed = new ComposeModel(COMPOSE, root);

        assertThat(ComposeChecks.orchestratorPorts(changed, appProperties, APP_PROPERTIES)).singleElement()
                .asString().contains(COMPOSE, "service 'orchestrator'", "8081", "HTTP port 8080",
                        "quarkus.http.port in " + APP_PROPERTIES);
    }

    private static final String MINIMAL = """
            services:
              kafka:
                image: apache/kafka:4.1.2
                environment:
                  KAFKA_LISTENERS: PLAINTEXT://:9092,CONTROLLER://:9093,HOST://:29092
                  KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092,HOST://localhost:9092
                ports: ["127.0.0.1:9092:29092"]
                healthcheck: {test: ["CMD", "true"]}
              postgres:
                image: postgres:15
                environment: {POSTGRES_DB: bayesweep, POSTGRES_USER: bayesweep, POSTGRES_PASSWORD: "${PW:-x}"}
              orchestrator:
                image: o
                environment:
                  KAFKA_BOOTSTRAP_SERVERS: kafka:9092
                  BAYESWEEP_ARTIFACTS_DIR: /data/artifacts
                ports: ["8080:8080"]
                depends_on: {kafka: {condition: service_healthy}}
              worker:
                image: w
                environment:
                  KAFKA_BOOTSTRAP_SERVERS: kafka:9092
                  BAYESWEEP_METRICS_PORT: 9400
                expose: ["9400"]
              alertmanager:
                image: prom/alertmanager:v0.28.1
              prometheus:
                image: prom/prometheus:v2.55.1
              grafana:
                image: grafana/grafana:12.2.0
                environment: {PW: "${PW:-x}"}
            """;

    private static ComposeModel minimal(String text) {
        return new ComposeModel("in-memory.yml", ComposeSources.parseYaml(text));
    }

    @Test
    void theMinimalInMemoryStackPassesTheChecksItIsUsedFor() {
        ComposeModel c = minimal(MINIMAL);
        assertThat(ComposeChecks.kafkaListeners(c)).isEmpty();
        assertThat(ComposeChecks.dependsOn(c)).isEmpty();
        assertThat(ComposeChecks.orchestratorPorts(c, appProperties, APP_PROPERTIES)).isEmpty();
        assertThat(ComposeChecks.prometheus(c, ComposeSources.parseYaml("""
                scrape_configs:
                  - job_name: bayesweep-orchestrator
                    metrics_path: /q/metrics
                    static_configs: [{targets: ["orchestrator:8080"]}]
                  - job_name: bayesweep-worker
                    metrics_path: /q/metrics
                    dns_sd_configs: [{names: [worker], type: A, port: 9400}]
                """), "in-memory-prometheus.yml", appProperties)).isEmpty();
    }

    @Test
    void aScrapeTargetOnAPortTheServiceDoesNotListenOnIsReported() {
        List<String> problems = ComposeChecks.prometheus(minimal(MINIMAL), ComposeSources.parseYaml("""
                scrape_configs:
                  - job_name: bayesweep-orchestrator
                    metrics_path: /q/metrics
                    static_configs: [{targets: ["orchestrator:9000"]}]
                  - job_name: workers
                    static_configs: [{targets: ["worker:9400", "wrker:9400"]}]
                """), "in-memory-prometheus.yml", appProperties);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("in-memory-prometheus.yml",
                "target 'orchestrator:9000'", "service 'orchestrator' listens on [8080]"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("target 'wrker:9400'", "names no service"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("job 'workers'", "path '/metrics'", "/q/metrics"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("job 'workers'", "'bayesweep-worker'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("target 'worker:9400'", "dns_sd_configs"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("no scrape target is service 'orchestrator'"));
    }

    @Test
    void anUnknownEnvironmentVariableIsReported() {
        ComposeModel c = minimal(MINIMAL.replace("BAYESWEEP_METRICS_PORT: 9400", "BAYESWEEP_METRIC_PORT: 9400")
                .replace("BAYESWEEP_ARTIFACTS_DIR: /data/artifacts", "BAYESWEEP_ARTIFACT_DIR: /data/artifacts"));

        assertThat(ComposeChecks.workerEnvironment(c, Set.of("KAFKA_BOOTSTRAP_SERVERS", "BAYESWEEP_METRICS_PORT"),
                "the worker")).singleElement().asString()
                .contains("in-memory.yml", "service 'worker'", "'BAYESWEEP_METRIC_PORT'");
        assertThat(ComposeChecks.orchestratorEnvironment(c, Set.of("kafka.bootstrap.servers", "bayesweep.artifacts.dir"),
                "application.properties")).singleElement().asString()
                .contains("in-memory.yml", "service 'orchestrator'", "'BAYESWEEP_ARTIFACT_DIR'");
        assertThat(ComposeChecks.orchestratorEnvironment(minimal(MINIMAL),
                Set.of("kafka.bootstrap.servers", "bayesweep.artifacts.dir"), "application.properties")).isEmpty();
    }

    @Test
    void aBootstrapServerThatKafkaDoesNotAdvertiseIsReported() {
        List<String> problems = ComposeChecks.kafkaListeners(minimal(MINIMAL.replace(
                "KAFKA_BOOTSTRAP_SERVERS: kafka:9092\n      BAYESWEEP_METRICS_PORT",
                "KAFKA_BOOTSTRAP_SERVERS: kafka:29092\n      BAYESWEEP_METRICS_PORT")));
        assertThat(problems).singleElement().asString()
                .contains("service 'worker'", "'kafka:29092'", "PLAINTEXT://kafka:9092");

        assertThat(ComposeChecks.kafkaListeners(minimal(MINIMAL.replace("127.0.0.1:9092:29092", "127.0.0.1:9094:29092"))))
                .singleElement().asString().contains("'HOST://localhost:9092'", "host port 9092");
    }

    @Test
    void aWebhookOnTheWrongPortAndAWrongGrafanaDatabaseUserAreReported() {
        ComposeModel c = minimal(MINIMAL);
        assertThat(ComposeChecks.alertmanager(c, ComposeSources.parseYaml("""
                receivers:
                  - name: bayesweep
                    webhook_configs: [{url: "http://orchestrator:9090/api/alerts"}]
                """), "in-memory-alertmanager.yml", appProperties, Set.of("/api/alerts"))).singleElement().asString()
                .contains("in-memory-alertmanager.yml", "receiver 'bayesweep'", "port 9090", "service 'orchestrator'");
        assertThat(ComposeChecks.alertmanager(c, ComposeSources.parseYaml("""
                receivers:
                  - name: bayesweep
                    webhook_configs: [{url: "http://orchestrator:8080/api/alertmanager/hook"}]
                """), "in-memory-alertmanager.yml", appProperties, Set.of("/api/alertmanager/webhook", "/api/trials/{id}")))
                .singleElement().asString().contains("path '/api/alertmanager/hook'", "no JAX-RS resource");
        assertThat(ComposeSources.matchesPath("/api/trials/t001/", Set.of("/api/trials/{id}"))).isTrue();

        List<String> problems = ComposeChecks.grafanaDatasources(c, new TreeMap<>(Map.of("in-memory-datasources.yml",
                ComposeSources.parseYaml("""
                        datasources:
                          - name: tracker
                            type: grafana-postgresql-datasource
                            url: postgres:5432
                            user: grafana
                            jsonData: {database: bayesweep}
                            secureJsonData: {password: "$PW"}
                          - name: prom
                            type: prometheus
                            url: http://prometheus:9091
                            basicAuth: false
                            jsonData: {httpHeaderValue1: "${MISSING_TOKEN}"}
                        """))), appProperties);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("in-memory-datasources.yml", "datasource 'tracker'",
                "user 'grafana'", "POSTGRES_USER 'bayesweep'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("datasource 'prom'", "port 9091",
                "service 'prometheus'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("$MISSING_TOKEN", "service 'grafana'"));
        assertThat(problems).hasSize(3);
    }

    @Test
    void aMissingOrUnhealthyDependencyIsReported() {
        ComposeModel c = minimal(MINIMAL.replace("depends_on: {kafka: {condition: service_healthy}}",
                "depends_on: {postgres: {condition: service_healthy}, db: {condition: service_started}}"));
        assertThat(ComposeChecks.dependsOn(c)).containsExactlyInAnyOrder(
                "in-memory.yml: service 'orchestrator' waits for 'postgres' with condition service_healthy, but"
                        + " 'postgres' has no healthcheck",
                "in-memory.yml: service 'orchestrator' depends on 'db', which is no service");
    }

    @Test
    void aDockerignoreThatLeavesOutACopiedPathIsReported() {
        ComposeSources.DockerIgnore ignore = new ComposeSources.DockerIgnore("""
                *
                !orchestrator/target/quarkus-app/
                !worker/target/*.jar
                """);
        assertThat(ignore.excludes("orchestrator/target/quarkus-app/lib/main/x.jar")).isFalse();
        assertThat(ignore.excludes("orchestrator/src/main/java/A.java")).isTrue();
        List<String> sources = ComposeSources.copySources(ComposeSources.dockerfile("""
                FROM eclipse-temurin:17-jre
                COPY --chown=185:0 worker/target/lib/ /opt/bayesweep/lib/
                COPY worker/target/worker-0.1.0-SNAPSHOT.jar \\
                     /opt/bayesweep/worker.jar
                COPY --from=build /x /y
                """));
        assertThat(sources).containsExactly("worker/target/lib/", "worker/target/worker-0.1.0-SNAPSHOT.jar");
        assertThat(ComposeChecks.copySourcesNotIgnored("worker/Dockerfile", sources, ignore, ".dockerignore"))
                .containsExactly("worker/Dockerfile: COPY source 'worker/target/lib/' is left out of the build context"
                        + " by .dockerignore");
    }

    @Test
    void configMappingAndEnvironmentNamesFollowQuarkusRules() {
        assertThat(ComposeSources.configMappingProperties("""
                @ConfigMapping(prefix = "app")
                public interface C {
                    /** a comment with a fake(); */
                    @WithDefault("./x") Path dataDir();
                    Store store();
                    Optional<Nested> nested();
                    interface Store { Optional<String> jdbcUrl(); @WithName("user") String userName(); }
                    interface Nested { @WithDefault("5m") Duration inFlightExpiry(); }
                }
                """)).containsExactlyInAnyOrder("app.data-dir", "app.store.jdbc-url", "app.store.user",
                "app.nested.in-flight-expiry");
        assertThat(ComposeSources.envName("bayesweep.store.jdbc-url")).isEqualTo("BAYESWEEP_STORE_JDBC_URL");
        assertThat(ComposeSources.envName("quarkus.http.port")).isEqualTo("QUARKUS_HTTP_PORT");
        assertThat(ComposeModel.interpolate("127.0.0.1:${P:-5432}:5432 $$x ${Q}")).isEqualTo("127.0.0.1:5432:5432 $x ");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static Map<String, Map<String, Object>> yamlFiles(String folder) {
        Map<String, Map<String, Object>> files = new TreeMap<>();
        Path dir = repo.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted()
                    .forEach(f -> files.put(repo.relativize(f).toString(), ComposeSources.readYaml(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
