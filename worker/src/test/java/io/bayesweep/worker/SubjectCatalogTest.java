package io.bayesweep.worker;

import io.bayesweep.model.emoji.Subjects;
import io.bayesweep.sweep.NumericRange;
import io.bayesweep.sweep.ParameterInfo;
import io.bayesweep.sweep.TrainingParameters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep catalog (core, which does not depend on the model) and the model's subjects must agree, or sweeps
 * would validate trials the worker cannot run. The worker is the one module that sees both.
 */
class SubjectCatalogTest {
    @Test
    void theCatalogSubjectsAreTheModelSubjects() {
        assertThat(TrainingParameters.SUBJECTS).containsExactlyElementsOf(Subjects.names());
        ParameterInfo subject = TrainingParameters.find("subject").orElseThrow();
        assertThat(subject.choices()).containsExactlyElementsOf(Subjects.names());
        assertThat(Subjects.names()).contains((String) subject.defaultValue());
    }

    @Test
    void theCatalogShotsRangeEndsAtTheModelsReferenceImages() {
        NumericRange shots = TrainingParameters.find("shots").orElseThrow().range();
        assertThat(shots.min()).isEqualTo(1.0);
        assertThat(shots.max()).isEqualTo((double) Subjects.MAX_SHOTS);
        assertThat(shots.contains(Subjects.MAX_SHOTS)).isTrue();
        assertThat(shots.contains(Subjects.MAX_SHOTS + 1)).isFalse();
    }

    @Test
    void theCatalogEvalSamplersAreTheModelsAndEachParses() {
        ParameterInfo sampler = TrainingParameters.find("eval_sampler").orElseThrow();
        assertThat(sampler.choices()).containsExactlyElementsOf(io.bayesweep.model.EvalSampling.SAMPLERS);
        assertThat(io.bayesweep.model.EvalSampling.parse((String) sampler.defaultValue()))
                .isEqualTo(io.bayesweep.model.EvalSampling.DEFAULT);
        assertThat(TrainingConfigs.from(java.util.Map.of("eval_sampler", "ancestral"), 0).eval().sampling())
                .isEqualTo(new io.bayesweep.model.EvalSampling("ancestral", io.bayesweep.model.EvalSampling.ANCESTRAL_STEPS));
    }

    @Test
    void theEarlyEvalScheduleReachesTheModel() {
        var config = TrainingConfigs.from(java.util.Map.of("steps", 100, "eval_every", 25, "early_eval_every", 2,
                "early_eval_until", 10), 0);
        assertThat(java.util.stream.LongStream.rangeClosed(1, 100).filter(config::evaluatesAt).boxed().toList())
                .containsExactly(2L, 4L, 6L, 8L, 10L, 25L, 50L, 75L, 100L);
        assertThat(config.warmupSteps()).isEqualTo(20);
        assertThat(TrainingConfigs.from(java.util.Map.of("warmup_steps", 0), 0).warmupSteps()).isZero();
    }
}
