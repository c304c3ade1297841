package io.bayesweep.sweep;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingParametersTest {

    @Test
    void catalogListsEveryParameterOnce() {
        assertThat(TrainingParameters.all()).extracting(ParameterInfo::name).containsExactly("kl_weight", "prior_std",
                "init_std", "bayesian_layers", "mc_samples", "method", "lora_rank", "lr", "warmup_steps", "steps", "batch_size", "shots",
                "subject", "prior_preservation", "eval_every", "early_eval_every", "early_eval_until", "eval_sampler", "seed");
        assertThat(TrainingParameters.all()).allSatisfy(p -> {
            assertThat(p.doc()).isNotBlank();
            assertThat(p.allowed()).isNotBlank();
            assertThat(p.problemWith(p.defaultValue())).as(p.name() + " default").isNull();
        });
        assertThat(TrainingParameters.SUBJECTS).hasSize(24).doesNotHaveDuplicates()
                .startsWith("wink", "joy", "heart_eyes").endsWith("tropical_fish", "sunflower")
                .contains("sleeping", "blue_heart", "star-struck");
        assertThat(TrainingParameters.LAYER_GROUPS).containsExactly("conv", "attn", "norm", "time", "emb", "lora_b");
    }

    @Test
    void resolveFillsDefaults() {
        Map<String, Object> resolved = TrainingParameters.resolve(Map.of());
        assertThat(resolved).containsExactly(
                Map.entry("kl_weight", 1.0), Map.entry("prior_std", 0.05), Map.entry("init_std", 0.001),
                Map.entry("bayesian_layers", List.of()), Map.entry("mc_samples", 1), Map.entry("method", "full"),
                Map.entry("lora_rank", 4), Map.entry("lr", 0.0002), Map.entry("warmup_steps", 20), Map.entry("steps", 400), Map.entry("batch_size", 8),
                Map.entry("shots", 1), Map.entry("subject", "wink"), Map.entry("prior_preservation", 0.0),
                Map.entry("eval_every", 25), Map.entry("early_eval_every", 0), Map.entry("early_eval_until", 0),
                Map.entry("eval_sampler", "ddim"), Map.entry("seed", 0));
    }

    @Test
    void resolveFlattensGroupsAndNormalisesTypes() {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("steps", 100.0);
        group.put("bayesian_layers", List.of("conv", "attn"));
        Map<String, Object> trial = new LinkedHashMap<>();
        trial.put("kl_weight", 0);
        trial.put("unet", group);
        trial.put("seed", 7L);
        Map<String, Object> resolved = TrainingParameters.resolve(trial);
        assertThat(resolved).containsEntry("steps", 100).containsEntry("kl_weight", 0.0).containsEntry("seed", 7)
                .containsEntry("bayesian_layers", List.of("conv", "attn"));
        assertThat(TrainingParameters.resolve(Map.of("bayesian_layers", "none"))).containsEntry("bayesian_layers", List.of());
    }

    @Test
    void resolveNamesKeyValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("kl_weight", -1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kl_weight: -1.0 is out of range: kl_weight must be >= 0");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("steps", 3.5)))
                .hasMessage("steps: 3.5 is not an integer: steps is an int");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("lr", "fast")))
                .hasMessage("lr: 'fast' is not a number: lr is a float");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("lr", 2)))
                .hasMessage("lr: 2 is out of range: lr must be > 0 and <= 1");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("mc_samples", 17)))
                .hasMessage("mc_samples: 17 is out of range: mc_samples must be between 1 and 16");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("subject", "wink_face")))
                .hasMessage("subject: 'wink_face' is not allowed: subject must be one of "
                        + String.join(", ", TrainingParameters.SUBJECTS) + " (did you mean 'wink'?)");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("shots", 3)))
                .hasMessage("shots: 3 is out of range: shots must be between 1 and 2");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("klweight", 1)))
                .hasMessageStartingWith("klweight: unknown training parameter 'klweight' (did you mean 'kl_weight'?)");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("bayesian_layers", List.of("conv", "mlp"))))
                .hasMessageContaining("'mlp' is not a layer group");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("bayesian_layers", List.of())))
                .hasMessageContaining("must not be empty (write none");
    }

    @Test
    void resolveReportsEveryProblemOnItsOwnLine() {
        Map<String, Object> trial = new LinkedHashMap<>();
        trial.put("kl_weight", -1);
        trial.put("shots", 0);
        assertThatThrownBy(() -> TrainingParameters.resolve(trial)).hasMessage(
                "kl_weight: -1 is out of range: kl_weight must be >= 0\nshots: 0 is out of range: shots must be between 1 and 2");
    }

    @Test
    void crossFieldRules() {
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("steps", 10, "eval_every", 20)))
                .hasMessageContaining("eval_every 20 is more than steps 10");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("bayesian_layers", List.of("lora_b"))))
                .hasMessage("bayesian_layers: layer group lora_b needs method lora (method is full)");
        assertThat(TrainingParameters.resolve(Map.of("bayesian_layers", List.of("lora_b"), "method", "lora")))
                .containsEntry("method", "lora");
        assertThat(TrainingParameters.resolve(Map.of("steps", 20, "eval_every", 20))).containsEntry("eval_every", 20);
    }

    @Test
    void theEarlyEvalScheduleNeedsBothPartsAndMustBeDenser() {
        assertThat(TrainingParameters.resolve(Map.of("steps", 400, "eval_every", 20, "early_eval_every", 2,
                "early_eval_until", 100))).containsEntry("early_eval_every", 2).containsEntry("early_eval_until", 100);
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("early_eval_every", 2)))
                .hasMessage("early_eval_every: early_eval_every 2 needs early_eval_until (the last step of the early"
                        + " schedule), which is 0");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("early_eval_until", 50)))
                .hasMessage("early_eval_until: early_eval_until 50 needs early_eval_every (the early evaluation"
                        + " interval), which is 0 (off)");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("eval_every", 10, "early_eval_every", 10,
                "early_eval_until", 100))).hasMessageContaining("early_eval_every 10 is not less than eval_every 10");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("steps", 80, "eval_every", 10, "early_eval_every", 2,
                "early_eval_until", 100))).hasMessageContaining("early_eval_until 100 is more than steps 80");
        assertThatThrownBy(() -> TrainingParameters.resolve(Map.of("early_eval_every", 5, "early_eval_until", 4)))
                .hasMessageContaining("early_eval_until 4 is less than early_eval_every 5");
    }

    @Test
    void aNameTwiceAcrossGroupsIsAnError() {
        Map<String, Object> trial = new LinkedHashMap<>();
        trial.put("steps", 10);
        trial.put("g", Map.of("steps", 20));
        assertThatThrownBy(() -> TrainingParameters.resolve(trial))
                .hasMessage("g.steps: training parameter 'steps' is already set at steps");
    }
}
