package io.bayesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSamplingTest {

    @Test
    void parsesSamplersWithAndWithoutSteps() {
        assertThat(EvalSampling.parse("ddim")).isEqualTo(EvalSampling.DEFAULT);
        assertThat(EvalSampling.parse("ancestral")).isEqualTo(new EvalSampling("ancestral", 100));
        assertThat(EvalSampling.parse(" ancestral:250 ")).isEqualTo(new EvalSampling("ancestral", 250));
        assertThat(EvalSampling.parse("ddim-noclip:50")).isEqualTo(new EvalSampling("ddim-noclip", 50));
        for (String text : List.of("ddim", "ancestral", "ancestral:250", "ddim-noclip:50")) {
            assertThat(EvalSampling.parse(text).toString()).isEqualTo(text);
        }
    }

    @Test
    void badTextNamesWhatIsWrong() {
        assertThatThrownBy(() -> EvalSampling.parse("euler")).hasMessageContaining("one of [ddim, ddim-noclip, ancestral]")
                .hasMessageContaining("'euler'");
        assertThatThrownBy(() -> EvalSampling.parse("ancestral:many")).hasMessageContaining("'many'");
        assertThatThrownBy(() -> EvalSampling.parse("ddim:0")).hasMessageContaining("1..1000, got 0");
        assertThatThrownBy(() -> EvalSampling.parse("ddim:1001")).hasMessageContaining("got 1001");
    }

    @Test
    void theSamplerChangesTheEvalSamplesButNotTheTraining(@TempDir Path tmp) throws Exception {
        TrainingConfig cfg = FineTunerTest.config(List.of(), "full", 2, 2, 0, 0);
        TrainingConfig ancestral = withSampling(cfg, new EvalSampling("ancestral", 30));
        FineTuner tuner = FineTuner.withBundledBaseModel();
        FineTunerTest.Recorder ddim = run(tuner, cfg, tmp.resolve("ddim"));
        FineTunerTest.Recorder anc = run(tuner, ancestral, tmp.resolve("a"));
        FineTunerTest.Recorder again = run(tuner, ancestral, tmp.resolve("b"));

        assertThat(anc.losses()).containsExactly(ddim.losses());
        float[] ddimSample = ddim.evals.get(0).samples().get(0);
        float[] ancSample = anc.evals.get(0).samples().get(0);
        assertThat(ancSample).isNotEqualTo(ddimSample);
        // seeded: the same eval samples every time, so that changes between evals are the model's
        assertThat(again.evals.get(0).samples().get(0)).isEqualTo(ancSample);
        assertThat(anc.evals.get(0).metrics().get("fidelity")).isFinite();
    }

    @Test
    void theEarlyScheduleAddsEvalsUpToItsLastStep(@TempDir Path tmp) throws Exception {
        TrainingConfig c = FineTunerTest.config(List.of(), "full", 12, 5, 0, 0);
        TrainingConfig early = c.withEval(new EvalSchedule(c.eval().every(), 2, 4, EvalSampling.DEFAULT));
        FineTunerTest.Recorder rec = run(FineTuner.withBundledBaseModel(), early, tmp);
        assertThat(rec.evals).extracting(EvalReport::step).containsExactly(2L, 4L, 5L, 10L, 12L);
        assertThat(c.evaluatesAt(2)).isFalse();
    }

    @Test
    void theWarmUpIsLinearToItsLengthAndZeroTurnsItOff() {
        TrainingConfig c = FineTunerTest.config(List.of(), "full", 12, 5, 0, 0);
        TrainingConfig none = new TrainingConfig(c.klWeight(), c.priorStd(), c.initStd(), c.bayesianLayers(),
                c.mcSamples(), c.method(), c.loraRank(), 1e-3, c.steps(), c.batchSize(), c.shots(), c.subject(),
                c.priorPreservation(), c.seed(), c.checkpointEvery(), 0, c.eval());
        TrainingConfig hundred = none.withWarmupSteps(100);
        assertThat(none.lrAt(1)).isEqualTo(1e-3);
        assertThat(hundred.lrAt(25)).isCloseTo(2.5e-4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(hundred.lrAt(100)).isEqualTo(1e-3);
        assertThat(hundred.lrAt(400)).isEqualTo(1e-3);
        assertThat(c.lrAt(10)).isCloseTo(c.lr() / 2, org.assertj.core.data.Offset.offset(1e-12)); // the default 20
    }

    private static TrainingConfig withSampling(TrainingConfig c, EvalSampling s) {
        return c.withEval(new EvalSchedule(c.eval().every(), c.eval().earlyEvery(), c.eval().earlyUntil(), s));
    }

    private static FineTunerTest.Recorder run(FineTuner tuner, TrainingConfig cfg, Path dir) throws Exception {
        FineTunerTest.Recorder rec = new FineTunerTest.Recorder();
        tuner.run(cfg, dir, rec, () -> false);
        return rec;
    }
}
