package io.bayesweep.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grafana's provisioning files, checked by structure (no Grafana server runs here): the two datasources the
 * dashboards name by uid, and the file provider that loads the dashboards.
 */
class GrafanaProvisioningTest {

    private static final ObservabilityFiles FILES = ObservabilityFiles.locate();

    @Test
    void prometheusDatasource() throws IOException {
        JsonNode ds = datasource("prometheus");
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(ds.path("access").asText()).isEqualTo("proxy");
        // $__rate_interval is derived from it: it must be the scrape interval of prometheus.yml.
        assertThat(ds.path("jsonData").path("timeInterval").asText()).isEqualTo("15s");
    }

    @Test
    void trackerStoreDatasource() throws IOException {
        JsonNode ds = datasource("tracker");
        assertThat(ds.path("type").asText()).isEqualTo("grafana-postgresql-datasource");
        assertThat(ds.path("url").asText()).isEqualTo("postgres:5432");
        assertThat(ds.path("user").asText()).isEqualTo("bayesweep");
        assertThat(ds.path("jsonData").path("database").asText()).isEqualTo("bayesweep");
        assertThat(ds.path("jsonData").path("sslmode").asText()).isEqualTo("disable");
        // Never a password in the repository: Grafana expands the variable when it provisions.
        assertThat(ds.path("secureJsonData").path("password").asText()).isEqualTo("${BAYESWEEP_DB_PASSWORD}");
    }

    @Test
    void onlyOneDefaultDatasource() throws IOException {
        int defaults = 0;
        for (JsonNode ds : yaml(FILES.datasources()).path("datasources")) {
            defaults += ds.path("isDefault").asBoolean(false) ? 1 : 0;
        }
        assertThat(defaults).isEqualTo(1);
    }

    @Test
    void dashboardProviderLoadsTheDashboardFolder() throws IOException {
        JsonNode config = yaml(FILES.dashboardProviders());
        assertThat(config.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode provider = config.path("providers").path(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText()).isEqualTo("/var/lib/grafana/dashboards");
    }

    private static JsonNode datasource(String uid) throws IOException {
        JsonNode config = yaml(FILES.datasources());
        assertThat(config.path("apiVersion").asInt()).isEqualTo(1);
        for (JsonNode ds : config.path("datasources")) {
            if (uid.equals(ds.path("uid").asText())) {
                return ds;
            }
        }
        throw new AssertionError("no datasource with uid " + uid + " in " + FILES.datasources());
    }

    private static JsonNode yaml(Path file) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    }
}
