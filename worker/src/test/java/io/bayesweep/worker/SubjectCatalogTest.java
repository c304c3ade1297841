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
        assertThat(TrainingConfigs.from(java.util.Map.of("eval_sampler", "ancestral"), 0).evalSampling())
                .isEqualTo(new io.bayesweep.model.EvalSampling("ancestral", io.bayesweep.model.EvalSampling.ANCESTRAL_STEPS));
    }
}
