package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTunerTest {
    private static final FineTuner RANDOM_BASE = new FineTuner(BaseModel.random(5));
    static final List<String> METRICS = List.of("loss", "kl", "fidelity", "fidelity_min", "fidelity_max", "noise",
            "hf_ratio", "diversity", "memorization", "sigma1", "sigma_mean");

    static TrainingConfig config(List<String> bayesian, String method, int steps, int evalEvery, int checkpointEvery,
                                 double priorPreservation) {
        return new TrainingConfig(0.1, 0.01, 1e-3, bayesian, 1, method, 4, 3e-4, steps, 8, 2, "wink",
                priorPreservation, evalEvery, 7, checkpointEvery);
    }

    /** Records every callback. */
    static final class Recorder implements TrainingListener {
        final List<StepReport> steps = new ArrayList<>();
        final List<EvalReport> evals = new ArrayList<>();
        final List<Long> checkpoints = new ArrayList<>();
        long startedFrom = -1;

        @Override
        public void onStart(long fromStep, long totalSteps) {
            startedFrom = fromStep;
        }

        @Override
        public void onStep(StepReport report) {
            steps.add(report);
        }

        @Override
        public void onEval(EvalReport report) {
            evals.add(report);
        }

        @Override
        public void onCheckpoint(long step) {
            checkpoints.add(step);
        }

        double[] losses() {
            return steps.stream().mapToDouble(StepReport::loss).toArray();
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void resumedRunReportsTheSameLaterLosses(@TempDir Path tmp) throws Exception {
        TrainingConfig cfg = config(List.of("conv", "emb"), "full", 12, 6, 6, 0.5);
        Recorder full = new Recorder();
        TrainingResult r = RANDOM_BASE.run(cfg, tmp.resolve("a"), full, () -> false);
        assertThat(r.lastStep()).isEqualTo(12);
        assertThat(full.checkpoints).containsExactly(6L, 12L);

        // interrupted run: cancel after step 6 (its checkpoint is written), then resume
        Path b = tmp.resolve("b");
        Recorder first = new Recorder();
        TrainingResult stopped = RANDOM_BASE.run(cfg, b, first, () -> first.steps.size() >= 6);
        assertThat(stopped.cancelled()).isTrue();
        assertThat(stopped.lastStep()).isEqualTo(6);
        Recorder second = new Recorder();
        RANDOM_BASE.run(cfg, b, second, () -> false);
        assertThat(second.startedFrom).isEqualTo(6);
        assertThat(second.losses()).containsExactly(Arrays.copyOfRange(full.losses(), 6, 12));
        assertThat(second.steps.get(5).kl()).isEqualTo(full.steps.get(11).kl());
        assertThat(second.evals.get(0).metrics()).isEqualTo(full.evals.get(1).metrics());
        // only the newest two checkpoints are kept
        assertThat(files(tmp.resolve("a"))).extracting(p -> p.getFileName().toString())
                .containsExactly("ckpt-00000006.bsw", "ckpt-00000012.bsw");
    }

    @Test
    void cancellationStopsTheRunWithoutWriting(@TempDir Path tmp) throws Exception {
        AtomicInteger polls = new AtomicInteger();
        Recorder rec = new Recorder();
        TrainingResult r = RANDOM_BASE.run(config(List.of(), "full", 50, 100, 0, 0), tmp, rec,
                () -> polls.incrementAndGet() > 3);
        assertThat(r.cancelled()).isTrue();
        assertThat(r.lastStep()).isEqualTo(3);
        assertThat(rec.steps).hasSize(3);
        assertThat(files(tmp)).isEmpty();
    }

    @Test
    void truncatedCheckpointGivesAClearError(@TempDir Path tmp) throws Exception {
        TrainingConfig cfg = config(List.of(), "full", 4, 4, 2, 0);
        RANDOM_BASE.run(cfg, tmp, new Recorder(), () -> false);
        for (Path f : files(tmp)) {
            byte[] bytes = Files.readAllBytes(f);
            Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
        }
        assertThatThrownBy(() -> RANDOM_BASE.run(cfg, tmp, new Recorder(), () -> false))
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("no valid checkpoint")
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void corruptNewestCheckpointFallsBackToThePreviousOne(@TempDir Path tmp) throws Exception {
        TrainingConfig cfg = config(List.of(), "full", 4, 4, 2, 0);
        RANDOM_BASE.run(cfg, tmp, new Recorder(), () -> false);
        Path newest = tmp.resolve("ckpt-00000004.bsw");
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(bytes, 100));
        Recorder rec = new Recorder();
        RANDOM_BASE.run(cfg, tmp, rec, () -> false);
        assertThat(rec.startedFrom).isEqualTo(2);
        assertThat(rec.steps).hasSize(2);
    }

    @Test
    void shortRunReportsAllMetricsFromRealSamples(@TempDir Path tmp) throws Exception {
        Recorder rec = new Recorder();
        TrainingResult r = FineTuner.withBundledBaseModel().run(
                config(List.of("conv", "time"), "full", 5, 3, 0, 0), tmp, rec, () -> false);
        assertThat(rec.evals).extracting(EvalReport::step).containsExactly(3L, 5L);
        for (EvalReport e : rec.evals) {
            assertThat(e.metrics()).containsKeys(METRICS.toArray(String[]::new));
            e.metrics().values().forEach(v -> assertThat(v).isFinite());
            assertThat(e.samplePng()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        assertThat(r.finalMetrics()).isEqualTo(rec.evals.get(1).metrics());
        assertThat(rec.steps.get(0).sigmaMean()).containsOnlyKeys("conv", "time");
        assertThat(rec.evals.get(0).metrics().get("sigma_mean")).isGreaterThan(0);
        assertThat(rec.evals.get(0).metrics()).containsKeys("sigma_mean_conv", "sigma_mean_time");
        assertThat(rec.evals.get(0).metrics().get("sigma1")).isPositive()
                .isLessThanOrEqualTo(io.bayesweep.model.metrics.OneShotGaussian.MAX_SIGMA);
        SigmaStats conv = rec.steps.get(0).sigma().get("conv");
        // (the mean is a float sum over 850k values: allow its rounding)
        assertThat(conv.min()).isPositive().isLessThanOrEqualTo(conv.mean() * (1 + 1e-5));
        assertThat(conv.max()).isGreaterThanOrEqualTo(conv.mean() * (1 - 1e-5));
        assertThat(rec.evals.get(0).samples()).hasSize(FineTuner.EVAL_SAMPLES)
                .allSatisfy(img -> assertThat(img).hasSize(io.bayesweep.model.emoji.Images.LENGTH));
    }

    @Test
    void trialsRunOnFreshThreadsOneAfterAnother(@TempDir Path tmp) throws Exception {
        // Workers train on threads of their own; libtorch's grad mode is per thread.
        for (int i = 0; i < 2; i++) {
            Path dir = tmp.resolve("t" + i);
            var outcome = new java.util.concurrent.atomic.AtomicReference<Object>();
            Thread t = new Thread(() -> {
                try {
                    outcome.set(RANDOM_BASE.run(config(List.of("conv"), "full", 2, 2, 0, 0), dir, new Recorder(), () -> false));
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            t.start();
            t.join();
            assertThat(outcome.get()).as("run %d", i).isInstanceOf(TrainingResult.class);
        }
    }

    @Test
    void loraTrainsAdaptersOnly(@TempDir Path tmp) throws Exception {
        Recorder rec = new Recorder();
        TrainingResult r = RANDOM_BASE.run(config(List.of("lora_b"), "lora", 3, 3, 0, 0), tmp, rec, () -> false);
        assertThat(r.lastStep()).isEqualTo(3);
        assertThat(rec.steps.get(0).sigmaMean()).containsOnlyKeys("lora_b");
        assertThat(r.finalMetrics()).containsKeys(METRICS.toArray(String[]::new));
    }

    @Test
    void invalidConfigurationsAreRejected(@TempDir Path tmp) {
        TrainingConfig badSubject = new TrainingConfig(0, 0.01, 1e-3, List.of(), 1, "full", 4, 1e-4, 2, 2, 1, "dragon",
                0, 2, 1, 0);
        assertThatThrownBy(() -> RANDOM_BASE.run(badSubject, tmp, new Recorder(), () -> false))
                .isInstanceOf(TrainingException.class).hasMessageContaining("wink");
        assertThatThrownBy(() -> RANDOM_BASE.run(config(List.of("lora_b"), "full", 2, 2, 0, 0), tmp, new Recorder(),
                () -> false)).isInstanceOf(TrainingException.class).hasMessageContaining("lora_b needs method lora");
        assertThatThrownBy(() -> RANDOM_BASE.run(config(List.of("conv"), "lora", 2, 2, 0, 0), tmp, new Recorder(),
                () -> false)).isInstanceOf(TrainingException.class).hasMessageContaining("frozen");
        assertThat(Map.of()).isEmpty();
    }
}
