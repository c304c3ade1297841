package io.bayesweep.report;

import io.bayesweep.detect.EvalPoint;
import io.bayesweep.detect.TraceCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsCsvTest {

    private static Map<String, Double> metrics(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }

    @Test
    void writesTheStableHeaderThenExtraColumnsAndReadsBackBitForBit(@TempDir Path dir) throws Exception {
        List<MetricsCsv.Row> rows = List.of(
                new MetricsCsv.Row(20, metrics("sigma_mean_conv", 1.0e-3, "noise", 0.0481234567891234,
                        "fidelity", 0.1 + 0.2, "loss", 1e-7, "pixel_diversity", 0.25, "kl", 0.0)),
                new MetricsCsv.Row(40, metrics("fidelity", -0.5, "noise", Double.NaN, "sigma1", 3.999999999999,
                        "memorization", 0.1234, "sigma_mean_attn", 2e-3)));
        Path file = dir.resolve("metrics.csv");
        MetricsCsv.write(file, rows);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("step,loss,kl,fidelity,fidelity_min,fidelity_max,pixel_fidelity,noise,"
                + "hf_ratio,diversity,memorization,sigma1,sigma_mean,pixel_diversity,sigma_mean_attn,sigma_mean_conv");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).startsWith("40,,,-0.5,,,,,");  // NaN noise: an empty cell

        List<MetricsCsv.Row> back = MetricsCsv.read(file);
        assertThat(back).hasSize(2);
        assertThat(back.get(0).step()).isEqualTo(20);
        assertThat(back.get(0).get("fidelity")).isEqualTo(0.1 + 0.2);
        assertThat(back.get(0).get("noise")).isEqualTo(0.0481234567891234);
        assertThat(back.get(0).get("loss")).isEqualTo(1e-7);
        assertThat(back.get(0).get("sigma_mean_conv")).isEqualTo(1.0e-3);
        assertThat(back.get(0).get("sigma1")).isNaN();
        assertThat(back.get(1).get("noise")).isNaN();
        assertThat(back.get(1).metrics()).doesNotContainKey("noise");
        assertThat(back.get(1).get("sigma1")).isEqualTo(3.999999999999);
        // writing what was read gives the same file
        assertThat(MetricsCsv.format(back)).isEqualTo(Files.readString(file));
    }

    @Test
    void theFileIsATraceForTheCorruptionDetector(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.csv");
        MetricsCsv.write(file, List.of(new MetricsCsv.Row(10, metrics("fidelity", 0.5, "noise", 1.0E-4, "sigma1", 2.0)),
                new MetricsCsv.Row(20, metrics("fidelity", 0.6, "memorization", 0.2))));
        List<EvalPoint> points = TraceCsv.read(file);
        assertThat(points).hasSize(2);
        assertThat(points.get(0).noise()).isEqualTo(1.0E-4);
        assertThat(points.get(0).sigma1()).isEqualTo(2.0);
        assertThat(points.get(1).noise()).isNaN();
        assertThat(points.get(1).memorization()).isEqualTo(0.2);
        assertThat(TraceCsv.read(new StringReader(MetricsCsv.format(List.of())), "empty")).isEmpty();
    }

    @Test
    void badFilesNameTheLine() {
        assertThatThrownBy(() -> MetricsCsv.parse("step,fidelity\n10,0.5\n20\n", "m.csv"))
                .hasMessageContaining("m.csv: line 3: 1 cells, but the header has 2 columns");
        assertThatThrownBy(() -> MetricsCsv.parse("step,fidelity\n10,abc\n", "m.csv"))
                .hasMessageContaining("line 2, column 'fidelity': not a number: 'abc'");
        assertThatThrownBy(() -> MetricsCsv.parse("fidelity,step\n", "m.csv")).hasMessageContaining("'step'");
        assertThatThrownBy(() -> MetricsCsv.parse("", "m.csv")).hasMessageContaining("empty file");
    }
}
