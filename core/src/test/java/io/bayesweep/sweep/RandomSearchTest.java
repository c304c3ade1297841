package io.bayesweep.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RandomSearchTest {

    private static List<Map<String, Object>> draws(String parameters, int count, long seed) throws SweepValidationException {
        return SweepExpander.expand(SweepParser.parse("method: random\nrun_cap: " + count + "\nparameters:\n" + parameters),
                seed);
    }

    private static List<Double> doubles(List<Map<String, Object>> trials, String name) {
        return trials.stream().map(t -> ((Number) t.get(name)).doubleValue()).toList();
    }

    @Test
    void sameSeedSameTrialsOtherSeedOtherTrials() throws Exception {
        String parameters = """
                  kl_weight: {min: 0.0, max: 1.0}
                  prior_std: {distribution: log_uniform_values, min: 0.01, max: 0.2}
                  bayesian_layers: {values: [none, [conv], [attn]]}
                  steps: {min: 100, max: 400}
                """;
        assertThat(draws(parameters, 50, 7)).isEqualTo(draws(parameters, 50, 7));
        assertThat(draws(parameters, 50, 7)).isNotEqualTo(draws(parameters, 50, 8));
        assertThat(draws(parameters, 50, 7)).hasSize(50);
    }

    @Test
    void uniformDrawsFallInRange() throws Exception {
        List<Double> values = doubles(draws("  kl_weight: {min: 0.25, max: 0.75}\n", 1000, 1), "kl_weight");
        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(0.25, 0.75));
        assertThat(values.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).isCloseTo(0.5, within(0.03));
    }

    @Test
    void intUniformDrawsEveryIntegerInclusiveAsIntegers() throws Exception {
        List<Map<String, Object>> trials = draws("  mc_samples: {min: 1, max: 3}\n", 300, 2);
        assertThat(trials).extracting(t -> t.get("mc_samples")).allSatisfy(v -> assertThat(v).isInstanceOf(Integer.class));
        assertThat(trials).extracting(t -> t.get("mc_samples")).containsOnly(1, 2, 3);
    }

    @Test
    void qUniformRoundsToMultiplesOfQ() throws Exception {
        List<Double> values = doubles(draws("  kl_weight: {distribution: q_uniform, min: 0, max: 1, q: 0.25}\n", 500, 3),
                "kl_weight");
        assertThat(values).allSatisfy(v -> assertThat(v / 0.25).isCloseTo(Math.rint(v / 0.25), within(1e-9)));
        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
        assertThat(values).contains(0.0, 0.25, 0.5, 0.75, 1.0);
    }

    @Test
    void qUniformWithIntegerQGivesIntsForIntParameters() throws Exception {
        List<Map<String, Object>> trials = draws("  steps: {distribution: q_uniform, min: 100, max: 400, q: 50}\n", 300, 4);
        assertThat(trials).extracting(t -> t.get("steps")).allSatisfy(v -> assertThat(v).isInstanceOf(Integer.class));
        assertThat(trials).extracting(t -> (Integer) t.get("steps"))
                .allSatisfy(v -> assertThat(v % 50).isZero()).allSatisfy(v -> assertThat(v).isBetween(100, 400));
    }

    @Test
    void logUniformBoundsAreExponents() throws Exception {
        List<Double> values = doubles(draws("  lr: {distribution: log_uniform, min: -9.2, max: -4.6}\n", 1000, 5), "lr");
        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(Math.exp(-9.2), Math.exp(-4.6)));
        // Uniform in log space: the mean of log(x) is the middle of the exponent range.
        assertThat(values.stream().mapToDouble(Math::log).average().orElseThrow()).isCloseTo(-6.9, within(0.1));
    }

    @Test
    void logUniformValuesBoundsAreValues() throws Exception {
        List<Double> values = doubles(draws("  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.01}\n", 1000, 6),
                "lr");
        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(0.0001, 0.01));
        assertThat(values.stream().mapToDouble(Math::log10).average().orElseThrow()).isCloseTo(-3, within(0.1));
    }

    @Test
    void qLogUniformValuesRoundsToQ() throws Exception {
        List<Map<String, Object>> trials = draws(
                "  batch_size: {distribution: q_log_uniform_values, min: 2, max: 256, q: 2}\n", 500, 7);
        assertThat(trials).extracting(t -> (Integer) t.get("batch_size"))
                .allSatisfy(v -> assertThat(v % 2).isZero()).allSatisfy(v -> assertThat(v).isBetween(2, 256));
    }

    @Test
    void qLogUniformUsesExponentBounds() throws Exception {
        List<Double> values = doubles(draws("  kl_weight: {distribution: q_log_uniform, min: 0, max: 3, q: 0.5}\n", 500, 8),
                "kl_weight");
        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(1.0, Math.exp(3) + 0.25))
                .allSatisfy(v -> assertThat(v * 2).isEqualTo(Math.rint(v * 2)));
    }

    @Test
    void invLogUniformDrawsReciprocalsOfLogUniform() throws Exception {
        List<Double> exponents = doubles(draws("  prior_std: {distribution: inv_log_uniform, min: 1, max: 5}\n", 500, 9),
                "prior_std");
        assertThat(exponents).allSatisfy(v -> assertThat(v).isBetween(Math.exp(-5), Math.exp(-1)));
        List<Double> values = doubles(draws("  prior_std: {distribution: inv_log_uniform_values, min: 0.01, max: 0.5}\n",
                500, 9), "prior_std");
        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(0.01, 0.5));
    }

    @Test
    void normalUsesMuAndSigma() throws Exception {
        List<Double> values = doubles(draws("  kl_weight: {distribution: normal, mu: 10, sigma: 2}\n", 1000, 10),
                "kl_weight");
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double var = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElseThrow();
        assertThat(mean).isCloseTo(10, within(0.2));
        assertThat(Math.sqrt(var)).isCloseTo(2, within(0.2));
    }

    @Test
    void qNormalWithIntegerQDrawsIntegers() throws Exception {
        List<Map<String, Object>> trials = draws("  steps: {distribution: q_normal, mu: 200, sigma: 20, q: 10}\n", 300, 11);
        assertThat(trials).extracting(t -> (Integer) t.get("steps")).allSatisfy(v -> assertThat(v % 10).isZero());
    }

    @Test
    void logNormalIsExpOfNormal() throws Exception {
        List<Double> values = doubles(draws("  prior_std: {distribution: log_normal, mu: -3, sigma: 0.5}\n", 1000, 12),
                "prior_std");
        assertThat(values).allSatisfy(v -> assertThat(v).isPositive());
        assertThat(values.stream().mapToDouble(Math::log).average().orElseThrow()).isCloseTo(-3, within(0.1));
        List<Double> quantized = doubles(draws("  prior_std: {distribution: q_log_normal, mu: -1, sigma: 0.3, q: 0.05}\n",
                200, 12), "prior_std");
        assertThat(quantized).allSatisfy(v -> assertThat(v / 0.05).isCloseTo(Math.rint(v / 0.05), within(1e-9)));
    }

    @Test
    void probabilitiesAreRespected() throws Exception {
        List<Map<String, Object>> trials = draws(
                "  subject: {values: [wink, blue_heart, sunflower], probabilities: [0.7, 0.2, 0.1]}\n", 1000, 13);
        trials = new java.util.ArrayList<>(trials);
        trials.addAll(draws("  subject: {values: [wink, blue_heart, sunflower], probabilities: [0.7, 0.2, 0.1]}\n",
                1000, 14));
        long wink = trials.stream().filter(t -> t.get("subject").equals("wink")).count();
        long heart = trials.stream().filter(t -> t.get("subject").equals("blue_heart")).count();
        long star = trials.stream().filter(t -> t.get("subject").equals("sunflower")).count();
        assertThat(wink + heart + star).isEqualTo(2000);
        assertThat(wink / 2000.0).isCloseTo(0.7, within(0.04));
        assertThat(heart / 2000.0).isCloseTo(0.2, within(0.04));
        assertThat(star / 2000.0).isCloseTo(0.1, within(0.03));
    }

    @Test
    void zeroProbabilityIsNeverDrawnAndUniformCategoricalCoversAll() throws Exception {
        assertThat(draws("  method: {values: [full, lora], probabilities: [1.0, 0.0]}\n", 500, 15))
                .extracting(t -> t.get("method")).containsOnly("full");
        assertThat(draws("  method: {values: [full, lora]}\n", 200, 15))
                .extracting(t -> t.get("method")).contains("full", "lora");
    }

    @Test
    void constantsAndLayerListsComeThroughAsGiven() throws Exception {
        List<Map<String, Object>> trials = draws("""
                  seed: {value: 3}
                  bayesian_layers: {values: [none, [conv, attn]]}
                  kl_weight: {value: 1}
                """, 40, 16);
        assertThat(trials).extracting(t -> t.get("seed")).containsOnly(3);
        assertThat(trials).extracting(t -> t.get("kl_weight")).containsOnly(1.0);
        assertThat(trials).extracting(t -> t.get("bayesian_layers")).containsOnly("none", List.of("conv", "attn"));
    }

    @Test
    void outOfRangeDrawsOfUnboundedDistributionsFailAtExpansion() throws Exception {
        SweepSpec spec = SweepParser.parse("method: random\nrun_cap: 50\nparameters:\n"
                + "  kl_weight: {distribution: normal, mu: 0, sigma: 1}\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SweepExpander.expand(spec, 1))
                .isInstanceOfSatisfying(SweepValidationException.class, e -> {
                    assertThat(e.problems().get(0).path()).matches("trials\\[\\d+]\\.kl_weight");
                    assertThat(e.problems().get(0).message()).contains("is out of range: kl_weight must be >= 0");
                    assertThat(e.problems().get(e.problems().size() - 1).message()).contains("of 50 trials are invalid");
                });
    }
}
