package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's pure helpers only (no engine, no training). */
class ModelBenchmarkTest {
    @Test
    void resolutionFollowsTheUNetLayout() {
        assertThat(ModelBenchmark.outputSide("in.conv.w")).isEqualTo(16);
        assertThat(ModelBenchmark.outputSide("d1.conv2.w")).isEqualTo(16);
        assertThat(ModelBenchmark.outputSide("down1.w")).isEqualTo(8);
        assertThat(ModelBenchmark.outputSide("u2.skip.w")).isEqualTo(8);
        assertThat(ModelBenchmark.outputSide("down2.w")).isEqualTo(4);
        assertThat(ModelBenchmark.outputSide("attn.qkv.w")).isEqualTo(4);
        assertThat(ModelBenchmark.outputSide("mid2.conv1.w")).isEqualTo(4);
        assertThat(ModelBenchmark.outputSide("u1.conv1.w")).isEqualTo(16);
        assertThat(ModelBenchmark.outputSide("out.conv.w")).isEqualTo(16);
        assertThatThrownBy(() -> ModelBenchmark.outputSide("bottleneck.conv.w"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bottleneck.conv.w");
    }

    @Test
    void countsConvLinearAndAttentionFlops() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("in.conv.w", new long[] {32, 3, 3, 3});       // 2*9*3*32 * 256
        shapes.put("in.conv.b", new long[] {32});                 // not counted
        shapes.put("down2.w", new long[] {64, 64, 3, 3});         // 2*9*64*64 * 16
        shapes.put("time.fc1.w", new long[] {128, 32});           // 2*128*32
        shapes.put("emb.table", new long[] {9, 128});             // 2*9*128
        shapes.put("attn.qkv.w", new long[] {192, 64});           // 2*192*64 * 16 tokens
        shapes.put("attn.proj.w", new long[] {64, 64});           // 2*64*64 * 16
        ModelBenchmark.Flops f = ModelBenchmark.forwardFlopsPerImage(shapes);
        assertThat(f.conv()).isEqualTo(2L * 9 * 3 * 32 * 256 + 2L * 9 * 64 * 64 * 16);
        assertThat(f.linear()).isEqualTo(2L * 128 * 32 + 2L * 9 * 128 + 2L * 192 * 64 * 16 + 2L * 64 * 64 * 16);
        assertThat(f.attention()).isEqualTo(2L * 2 * 16 * 16 * 64);
        assertThat(ModelBenchmark.trainingFlopsPerStep(f, 8)).isEqualTo(3L * 8 * f.total());
    }

    @Test
    void readsKilobytesFromProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmHWM:\t  654321 kB\nVmRSS:\t  567890 kB\nThreads:\t40\n";
        assertThat(ModelBenchmark.statusKb(status, "VmRSS")).isEqualTo(567_890);
        assertThat(ModelBenchmark.statusKb(status, "VmHWM")).isEqualTo(654_321);
        assertThat(ModelBenchmark.statusKb(status, "VmSwap")).isEqualTo(-1);
    }

    @Test
    void rssGrowthIsMeasuredFromTheFirstSampleAtOrAfterTheWarmUp() {
        List<long[]> series = List.of(new long[] {0, 100}, new long[] {400, 500}, new long[] {500, 600},
                new long[] {1000, 610}, new long[] {2000, 630});
        assertThat(ModelBenchmark.rssGrowth(series, 500)).isCloseTo(0.05, within(1e-12));
        assertThat(ModelBenchmark.rssGrowth(series, 450)).isCloseTo(0.05, within(1e-12));
        assertThat(ModelBenchmark.rssGrowth(series, 5000)).isZero();
        assertThat(ModelBenchmark.median(List.of(3.0, 1.0, 2.0, 10.0))).isEqualTo(2.5);
    }

    @Test
    void parsesNameValuePairs() {
        assertThat(ModelBenchmark.parseArgs(new String[] {"--batch", "8", "--out", "x.md"}))
                .containsEntry("batch", "8").containsEntry("out", "x.md");
        assertThatThrownBy(() -> ModelBenchmark.parseArgs(new String[] {"--batch"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
