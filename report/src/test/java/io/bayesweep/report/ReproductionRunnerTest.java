package io.bayesweep.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A few real fine-tuning steps with the bundled base model: stop, resume, skip, extend (a few seconds). */
class ReproductionRunnerTest {

    @Test
    void runsStopsResumesSkipsAndExtends(@TempDir Path out) throws Exception {
        List<RunSpec> plan = Plan.parse("""
                name\tsubject\tlr\tsteps\teval_every\tcheckpoint_every
                smoke\twink\t1e-3\t6\t2\t4
                """, "smoke plan");
        RunFolder f = new RunFolder(out.resolve("smoke"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);

        // 1. stopped (as by OUT/STOP) once the step-2 sample exists: cancelled before step 3, no checkpoint yet
        ReproductionRunner first = new ReproductionRunner(out, ps, Double.NaN, false,
                () -> Files.exists(f.sample(2)));
        List<ReproductionRunner.Outcome> o1 = first.runAll(plan);
        assertThat(o1).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo("stopped");
            assertThat(o.lastStep()).isEqualTo(2);
        });
        assertThat(MetricsCsv.read(f.metrics())).extracting(MetricsCsv.Row::step).containsExactly(2L);
        assertThat(f.done()).doesNotExist();
        assertThat(f.readRunJson().path("status").asText()).isEqualTo("stopped");

        // 2. rerun: no checkpoint yet, so it starts over (the step-2 row is written again), runs to the end
        ReproductionRunner second = new ReproductionRunner(out, ps, Double.NaN, false, () -> false);
        assertThat(second.runAll(plan)).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo("done"));
        List<MetricsCsv.Row> rows = MetricsCsv.read(f.metrics());
        assertThat(rows).extracting(MetricsCsv.Row::step).containsExactly(2L, 4L, 6L);
        assertThat(f.sampleSteps()).containsExactly(2L, 4L, 6L);
        assertThat(Files.readString(f.done()).strip()).isEqualTo("6");
        try (var files = Files.list(f.checkpoints())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).contains("ckpt-00000004.bsw");
        }
        assertThat(rows.get(2).metrics()).containsKeys("loss", "fidelity", "noise", "sigma1", "memorization");
        assertThat(Files.readAllLines(f.metrics()).get(0)).startsWith("step,loss,kl,fidelity,fidelity_min");
        var json = f.readRunJson();
        assertThat(json.path("status").asText()).isEqualTo("done");
        assertThat(json.path("config").path("lr").asDouble()).isEqualTo(1e-3);
        assertThat(json.path("config").path("eval").path("every").asInt()).isEqualTo(2);
        assertThat(json.path("wall_seconds").asDouble()).isPositive();
        assertThat(json.path("periods")).hasSize(2);
        assertThat(f.readSpec()).isEqualTo(plan.get(0));

        // 3. rerun: skipped
        ReproductionRunner third = new ReproductionRunner(out, ps, Double.NaN, false, () -> false);
        assertThat(third.runAll(plan)).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo("done"));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("done at step 6: skipped");

        // 4. extended to 8 steps: resumes from the step-4 checkpoint, replays step 6 (bit-identical), adds step 8
        List<RunSpec> longer = List.of(plan.get(0).withSteps(8, 2));
        ReproductionRunner fourth = new ReproductionRunner(out, ps, Double.NaN, false, () -> false);
        assertThat(fourth.runAll(longer)).singleElement().satisfies(o -> assertThat(o.lastStep()).isEqualTo(8));
        List<MetricsCsv.Row> extended = MetricsCsv.read(f.metrics());
        assertThat(extended).extracting(MetricsCsv.Row::step).containsExactly(2L, 4L, 6L, 8L);
        assertThat(extended.subList(0, 3)).isEqualTo(rows);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("resuming from step 4");
    }

    @Test
    void aRunFolderIsNotContinuedFromAnotherBaseModel(@TempDir Path out) throws Exception {
        List<RunSpec> plan = Plan.parse("name\tsteps\teval_every\tcheckpoint_every\ns\t2\t2\t2\n", "p");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        new ReproductionRunner(out, quiet, Double.NaN, false, () -> false).runAll(plan);
        assertThat(new RunFolder(out.resolve("s")).readRunJson().path("base_model").asText()).isEqualTo("bundled");

        Path other = out.resolve("other.bsw");
        io.bayesweep.model.BaseModel random = io.bayesweep.model.BaseModel.random(3);
        io.bayesweep.model.nn.TensorFile.write(other, random.meta(), random.weights());
        ReproductionRunner fromOther = new ReproductionRunner(out, quiet, Double.NaN, false, () -> false,
                ReproductionRunner.BaseModelFile.of(other));
        assertThatThrownBy(() -> fromOther.runAll(plan.stream().map(s -> s.withSteps(4, 2)).toList()))
                .hasMessageContaining("was started from another base model");
    }

    @Test
    void aRunFolderFromBeforeWarmupStepsReadsAsTheDefaultWarmUp(@TempDir Path out) throws Exception {
        RunSpec spec = Plan.parse("name\tsteps\nold\t10\n", "p").get(0);
        RunFolder f = new RunFolder(out.resolve("old"));
        var json = RunFolder.JSON.createObjectNode();
        var stored = (com.fasterxml.jackson.databind.node.ObjectNode) RunFolder.JSON.valueToTree(spec);
        stored.remove("warmupSteps");
        json.set("spec", stored);
        f.writeRunJson(json);
        assertThat(f.readSpec().warmupSteps()).isEqualTo(io.bayesweep.model.FineTuner.WARMUP_STEPS);
        assertThat(f.readSpec().sameTrajectory(spec)).isTrue();
    }
}
