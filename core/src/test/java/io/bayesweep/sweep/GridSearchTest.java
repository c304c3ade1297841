package io.bayesweep.sweep;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GridSearchTest {

    private static List<Map<String, Object>> grid(String body) throws SweepValidationException {
        return SweepExpander.expand(SweepParser.parse("method: grid\n" + body), 0);
    }

    private static List<Object> column(List<Map<String, Object>> trials, String name) {
        return trials.stream().map(t -> t.get(name)).toList();
    }

    @Test
    void constantGivesOneValue() throws Exception {
        assertThat(grid("parameters:\n  kl_weight: {value: 0.5}\n")).containsExactly(Map.of("kl_weight", 0.5));
    }

    @Test
    void categoricalGivesItsValuesInOrder() throws Exception {
        assertThat(column(grid("parameters:\n  subject: {values: [sunflower, wink]}\n"), "subject"))
                .containsExactly("sunflower", "wink");
    }

    @Test
    void intUniformGivesEveryIntegerInclusive() throws Exception {
        assertThat(column(grid("parameters:\n  mc_samples: {min: 2, max: 5}\n"), "mc_samples"))
                .containsExactly(2, 3, 4, 5);
        assertThat(column(grid("parameters:\n  kl_weight: {distribution: int_uniform, min: 0, max: 2}\n"), "kl_weight"))
                .containsExactly(0.0, 1.0, 2.0);
    }

    @Test
    void qUniformIsNumpyArangeStrictlyBelowMax() throws Exception {
        // W&B: np.arange(min, max, q); max itself is never a grid value, even when it is a multiple of q.
        assertThat(column(grid("parameters:\n  steps: {distribution: q_uniform, min: 100, max: 400, q: 100}\n  eval_every: {value: 1}\n"), "steps"))
                .containsExactly(100, 200, 300);
        assertThat(column(grid("parameters:\n  steps: {distribution: q_uniform, min: 1, max: 10, q: 3}\n  eval_every: {value: 1}\n"), "steps"))
                .containsExactly(1, 4, 7);
        assertThat(column(grid("parameters:\n  kl_weight: {distribution: q_uniform, min: 0, max: 1, q: 0.25}\n"),
                "kl_weight")).containsExactly(0.0, 0.25, 0.5, 0.75);
        // Floating-point steps follow arange's pitfall too: ceil((0.4 - 0.1) / 0.1) = ceil(3.0000000000000004) = 4
        // values, so max itself comes in (numpy: np.arange(0.1, 0.4, 0.1) == [0.1, 0.2, 0.30000000000000004, 0.4]).
        assertThat(column(grid("parameters:\n  kl_weight: {distribution: q_uniform, min: 0.1, max: 0.4, q: 0.1}\n"),
                "kl_weight")).containsExactly(0.1, 0.2, 0.30000000000000004, 0.4);
        assertThat(column(grid("parameters:\n  kl_weight: {distribution: q_uniform, min: 0, max: 0.3, q: 0.1}\n"),
                "kl_weight")).containsExactly(0.0, 0.1, 0.2);
        // numpy steps by (min + q) - min: np.arange(0.1, 1, 0.2) ends in 0.9000000000000001, not 0.9.
        assertThat(column(grid("parameters:\n  kl_weight: {distribution: q_uniform, min: 0.1, max: 1, q: 0.2}\n"),
                "kl_weight")).containsExactly(0.1, 0.30000000000000004, 0.5000000000000001, 0.7000000000000001,
                0.9000000000000001);
        // q defaults to 1.
        assertThat(column(grid("parameters:\n  mc_samples: {distribution: q_uniform, min: 1, max: 3}\n"), "mc_samples"))
                .containsExactly(1, 2);
    }

    @Test
    void productInDeclarationOrderLastParameterFastest() throws Exception {
        List<Map<String, Object>> trials = grid("""
                parameters:
                  subject: {values: [wink, blue_heart]}
                  kl_weight: {values: [0, 1]}
                  mc_samples: {min: 1, max: 3}
                """);
        assertThat(trials).hasSize(12);
        assertThat(trials.get(0)).containsExactly(Map.entry("subject", "wink"), Map.entry("kl_weight", 0.0),
                Map.entry("mc_samples", 1));
        assertThat(column(trials, "mc_samples")).containsExactly(1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3);
        assertThat(column(trials, "kl_weight")).containsExactly(0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0);
        assertThat(column(trials, "subject").subList(0, 6)).containsOnly("wink");
        assertThat(column(trials, "subject").subList(6, 12)).containsOnly("blue_heart");
    }

    @Test
    void nestedGroupsAreFlattenedIntoTheProductAndComeOutNested() throws Exception {
        List<Map<String, Object>> trials = grid("""
                parameters:
                  kl_weight: {values: [0, 1]}
                  optim:
                    parameters:
                      lr: {values: [0.001, 0.01]}
                      steps: {value: 100}
                  seed: {values: [1, 2]}
                """);
        assertThat(trials).hasSize(8);
        Map<String, Object> optim = new LinkedHashMap<>();
        optim.put("lr", 0.001);
        optim.put("steps", 100);
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("kl_weight", 0.0);
        first.put("optim", optim);
        first.put("seed", 1);
        assertThat(trials.get(0)).isEqualTo(first).isInstanceOf(LinkedHashMap.class);
        assertThat(trials.get(0).get("optim")).isInstanceOf(LinkedHashMap.class);
        assertThat(trials.get(0).keySet()).containsExactly("kl_weight", "optim", "seed");
        assertThat(trials.stream().map(t -> (Object) ((Map<?, ?>) t.get("optim")).get("lr")).toList())
                .containsExactly(0.001, 0.001, 0.01, 0.01, 0.001, 0.001, 0.01, 0.01);
        assertThat(column(trials, "seed")).containsExactly(1, 2, 1, 2, 1, 2, 1, 2);
    }

    @Test
    void runCapTruncatesInOrder() throws Exception {
        List<Map<String, Object>> trials = grid("run_cap: 3\nparameters:\n  kl_weight: {values: [0, 1]}\n"
                + "  mc_samples: {min: 1, max: 3}\n");
        assertThat(trials).hasSize(3);
        assertThat(column(trials, "mc_samples")).containsExactly(1, 2, 3);
        assertThat(column(trials, "kl_weight")).containsOnly(0.0);
        assertThat(grid("run_cap: 50\nparameters:\n  mc_samples: {min: 1, max: 3}\n")).hasSize(3);
    }

    @Test
    void runCapMakesAHugeGridAllowedWithoutMaterialisingIt() throws Exception {
        List<Map<String, Object>> trials = grid("run_cap: 2\nparameters:\n  seed: {min: 0, max: 2000000000}\n");
        assertThat(column(trials, "seed")).containsExactly(0, 1);
    }

    @Test
    void exactlyMaxTrialsIsAllowed() throws Exception {
        assertThat(grid("parameters:\n  seed: {min: 1, max: 1000}\n")).hasSize(SweepExpander.MAX_TRIALS);
    }

    @Test
    void valuesHaveTheTrainingParametersTypes() throws Exception {
        Map<String, Object> trial = grid("""
                parameters:
                  kl_weight: {value: 1}
                  steps: {value: 100.0}
                  bayesian_layers: {value: [conv, attn]}
                  subject: {value: blue_heart}
                """).get(0);
        assertThat(trial.get("kl_weight")).isEqualTo(1.0);
        assertThat(trial.get("steps")).isEqualTo(100);
        assertThat(trial.get("bayesian_layers")).isEqualTo(List.of("conv", "attn"));
        assertThat(TrainingParameters.resolve(trial)).containsEntry("steps", 100).containsEntry("kl_weight", 1.0);
    }

    @Test
    void trialsThatBreakCrossFieldRulesAreReported() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> grid("parameters:\n  steps: {values: [10, 100]}\n"))
                .isInstanceOfSatisfying(SweepValidationException.class, e -> {
                    assertThat(e.problems().get(0)).isEqualTo(new SweepProblem("trials[0].eval_every",
                            "eval_every 25 is more than steps 10: eval_every must be <= steps so that the trial is evaluated"));
                    assertThat(e.problems().get(1)).isEqualTo(new SweepProblem("trials", "1 of 2 trials is invalid"));
                });
    }
}
