package io.bayesweep.worker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The endpoints over real HTTP. */
class MetricsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<MetricsServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(MetricsServer::close);
    }

    @Test
    void servesTheMetricsAndLiveness() throws Exception {
        MetricsServer server = start(0);
        assertThat(server.metricsUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/q/metrics");

        HttpResponse<String> metrics = get(server, "/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).isEqualTo("# TYPE x gauge\nx 1.0\n");

        HttpResponse<String> live = get(server, "/q/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("UP");
    }

    @Test
    void answersOnlyGetOnTheExactPaths() throws Exception {
        MetricsServer server = start(0);
        assertThat(get(server, "/q/metrics/more").statusCode()).isEqualTo(404);
        assertThat(get(server, "/q/health").statusCode()).isEqualTo(404);
        assertThat(get(server, "/").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(server, "/q/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void aPortInUseIsReported() throws Exception {
        MetricsServer first = start(0);
        assertThatThrownBy(() -> start(first.port())).isInstanceOf(BindException.class);
        assertThatThrownBy(() -> MetricsServer.start("no-such-host.invalid", 0, () -> ""))
                .isInstanceOf(IOException.class).hasMessageContaining("no-such-host.invalid");
    }

    private MetricsServer start(int port) throws IOException {
        MetricsServer server = MetricsServer.start("127.0.0.1", port, () -> "# TYPE x gauge\nx 1.0\n");
        servers.add(server);
        return server;
    }

    private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(MetricsServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
