package io.bayesweep.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsConfigTest {

    @Test
    void defaultsServeOnPort9400OnEveryInterfaceWithATenMinuteGrace() {
        MetricsConfig metrics = WorkerConfig.fromEnvironment(Map.of()).metrics();
        assertThat(metrics).isEqualTo(new MetricsConfig("0.0.0.0", 9400, Duration.ofSeconds(600)));
        assertThat(metrics.served()).isTrue();
    }

    @Test
    void readsPortHostAndGraceFromTheEnvironment() {
        MetricsConfig metrics = WorkerConfig.fromEnvironment(Map.of(
                "BAYESWEEP_METRICS_PORT", " 0 ",
                "BAYESWEEP_METRICS_HOST", "127.0.0.1",
                "BAYESWEEP_METRICS_GRACE_SECONDS", "0")).metrics();
        assertThat(metrics).isEqualTo(new MetricsConfig("127.0.0.1", 0, Duration.ZERO));
    }

    @Test
    void offServesNothing() {
        MetricsConfig metrics = WorkerConfig.fromEnvironment(Map.of("BAYESWEEP_METRICS_PORT", "OFF")).metrics();
        assertThat(metrics.served()).isFalse();
        assertThat(metrics.port()).isEqualTo(MetricsConfig.OFF);
    }

    @Test
    void aBadPortIsRefusedNamingTheVariable() {
        for (String bad : new String[] {"abc", "-1", "65536", "9400x", "no"}) {
            assertThatThrownBy(() -> WorkerConfig.fromEnvironment(Map.of("BAYESWEEP_METRICS_PORT", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("BAYESWEEP_METRICS_PORT=" + bad + " is not a port")
                    .hasMessageContaining("'off'");
        }
    }

    @Test
    void aBadGraceIsRefusedNamingTheVariable() {
        for (String bad : new String[] {"-1", "ten", "1.5"}) {
            assertThatThrownBy(() -> WorkerConfig.fromEnvironment(Map.of("BAYESWEEP_METRICS_GRACE_SECONDS", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("BAYESWEEP_METRICS_GRACE_SECONDS=" + bad + " is not a whole number of seconds (0 or more)");
        }
    }

    @Test
    void theSixArgumentConstructorKeepsMetricsOffHttp() {
        WorkerConfig config = new WorkerConfig("localhost:9092", "w", "g", java.nio.file.Path.of("a"), 3,
                Duration.ofSeconds(6));
        assertThat(config.metrics().served()).isFalse();
        assertThat(config.metrics().finishedGrace()).isEqualTo(Duration.ofSeconds(600));
    }
}
