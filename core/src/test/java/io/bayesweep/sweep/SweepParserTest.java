package io.bayesweep.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SweepParserTest {

    static SweepSpec parse(String yaml) {
        try {
            return SweepParser.parse(yaml);
        } catch (SweepValidationException e) {
            throw new AssertionError("expected a valid sweep, got:\n" + e.getMessage(), e);
        }
    }

    static Distribution only(String method, String spec) {
        SweepSpec sweep = parse("method: " + method + "\nrun_cap: 10\nparameters:\n  kl_weight: " + spec + "\n");
        return sweep.sweptParameters().get(0).distribution();
    }

    @Test
    void readsTopLevelKeys() {
        SweepSpec spec = parse("""
                name: demo
                description: a demo
                method: random
                metric: {name: fidelity, goal: maximize, target: 0.9}
                run_cap: 12
                parameters:
                  kl_weight: {value: 0.1}
                """);
        assertThat(spec.name()).isEqualTo("demo");
        assertThat(spec.description()).isEqualTo("a demo");
        assertThat(spec.method()).isEqualTo(SweepMethod.RANDOM);
        assertThat(spec.metric()).isEqualTo(new MetricGoal("fidelity", "maximize", 0.9));
        assertThat(spec.metric().maximize()).isTrue();
        assertThat(spec.runCap()).isEqualTo(12);
    }

    @Test
    void optionalKeysMayBeLeftOutAndGoalDefaultsToMinimizeAsInWandb() {
        SweepSpec spec = parse("method: grid\nmetric: {name: loss}\nparameters:\n  steps: {value: 10}\n  eval_every: {value: 5}\n");
        assertThat(spec.name()).isNull();
        assertThat(spec.description()).isNull();
        assertThat(spec.runCap()).isNull();
        assertThat(spec.metric()).isEqualTo(new MetricGoal("loss", "minimize", null));
        assertThat(parse("method: grid\nparameters:\n  lr: {value: 0.001}\n").metric()).isNull();
    }

    @Test
    void parsesJsonToo() {
        SweepSpec spec = parse("""
                {
                \t"method": "grid",
                \t"parameters": {"kl_weight": {"values": [0, 0.5]}, "unet": {"parameters": {"lr": {"value": 0.001}}}}
                }
                """);
        assertThat(spec.method()).isEqualTo(SweepMethod.GRID);
        assertThat(spec.parameters()).extracting(ParameterNode::name).containsExactly("kl_weight", "unet");
        assertThat(spec.sweptParameters()).extracting(SweptParameter::name).containsExactly("kl_weight", "lr");
    }

    @Test
    void valueIsConstant() {
        assertThat(only("grid", "{value: 0.5}")).isEqualTo(new ConstantValue(0.5));
        assertThat(only("grid", "{distribution: constant, value: 2}")).isEqualTo(new ConstantValue(2));
    }

    @Test
    void valuesIsCategorical() {
        assertThat(only("grid", "{values: [0, 0.5]}")).isEqualTo(new CategoricalValues(List.of(0, 0.5), null));
        assertThat(only("grid", "{distribution: categorical, values: [1.0]}").kind())
                .isEqualTo(DistributionKind.CATEGORICAL);
    }

    @Test
    void valuesWithProbabilitiesIsWeightedCategorical() {
        Distribution d = only("random", "{values: [0, 1], probabilities: [0.25, 0.75]}");
        assertThat(d).isEqualTo(new CategoricalValues(List.of(0, 1), List.of(0.25, 0.75)));
        assertThat(d.kind()).isEqualTo(DistributionKind.CATEGORICAL_W_PROBABILITIES);
        assertThat(only("random", "{distribution: categorical_w_probabilities, values: [0, 1], probabilities: [0.5, 0.5]}")
                .kind()).isEqualTo(DistributionKind.CATEGORICAL_W_PROBABILITIES);
    }

    @Test
    void integerMinMaxIsIntUniformOtherwiseUniform() {
        assertThat(only("random", "{min: 0, max: 3}")).isEqualTo(new IntUniform(0, 3));
        assertThat(only("random", "{min: 0, max: 3.0}"))
                .isEqualTo(new BoundedDistribution(DistributionKind.UNIFORM, 0, 3.0, null));
        assertThat(only("random", "{min: 0.5, max: 3}").kind()).isEqualTo(DistributionKind.UNIFORM);
        assertThat(only("random", "{distribution: int_uniform, min: 1, max: 4}")).isEqualTo(new IntUniform(1, 4));
        assertThat(only("random", "{distribution: uniform, min: 1, max: 4}"))
                .isEqualTo(new BoundedDistribution(DistributionKind.UNIFORM, 1, 4, null));
    }

    @Test
    void everyNamedDistributionParsesWithWandbDefaults() {
        assertThat(only("random", "{distribution: q_uniform, min: 0, max: 1}"))
                .isEqualTo(new BoundedDistribution(DistributionKind.Q_UNIFORM, 0, 1, 1.0));
        assertThat(only("random", "{distribution: q_uniform, min: 0, max: 1, q: 0.25}"))
                .isEqualTo(new BoundedDistribution(DistributionKind.Q_UNIFORM, 0, 1, 0.25));
        for (String kind : List.of("log_uniform", "log_uniform_values", "inv_log_uniform", "inv_log_uniform_values")) {
            assertThat(only("random", "{distribution: " + kind + ", min: 0.001, max: 0.5}"))
                    .isEqualTo(new BoundedDistribution(DistributionKind.byName(kind).orElseThrow(), 0.001, 0.5, null));
        }
        for (String kind : List.of("q_log_uniform", "q_log_uniform_values")) {
            assertThat(only("random", "{distribution: " + kind + ", min: 0.001, max: 0.5, q: 0.01}"))
                    .isEqualTo(new BoundedDistribution(DistributionKind.byName(kind).orElseThrow(), 0.001, 0.5, 0.01));
        }
        assertThat(only("random", "{distribution: normal}"))
                .isEqualTo(new GaussianDistribution(DistributionKind.NORMAL, 0, 1, null));
        assertThat(only("random", "{distribution: log_normal, mu: -2, sigma: 0.5}"))
                .isEqualTo(new GaussianDistribution(DistributionKind.LOG_NORMAL, -2, 0.5, null));
        assertThat(only("random", "{distribution: q_normal, mu: 3, sigma: 2}"))
                .isEqualTo(new GaussianDistribution(DistributionKind.Q_NORMAL, 3, 2, 1.0));
        assertThat(only("random", "{distribution: q_log_normal, q: 0.5}"))
                .isEqualTo(new GaussianDistribution(DistributionKind.Q_LOG_NORMAL, 0, 1, 0.5));
    }

    @Test
    void nestedGroupsKeepTheirStructure() {
        SweepSpec spec = parse("""
                method: grid
                parameters:
                  optimizer:
                    parameters:
                      lr: {values: [0.001, 0.01]}
                      inner:
                        parameters:
                          steps: {value: 100}
                  kl_weight: {value: 1.0}
                """);
        assertThat(spec.parameters()).hasSize(2);
        ParameterGroup optimizer = (ParameterGroup) spec.parameters().get(0);
        assertThat(optimizer.path()).isEqualTo("parameters.optimizer");
        assertThat(optimizer.parameters()).extracting(ParameterNode::name).containsExactly("lr", "inner");
        assertThat(spec.sweptParameters()).extracting(SweptParameter::path).containsExactly(
                "parameters.optimizer.parameters.lr", "parameters.optimizer.parameters.inner.parameters.steps",
                "parameters.kl_weight");
    }

    @Test
    void integralFloatsAreFineForIntParametersAndLayerListsParse() {
        SweepSpec spec = parse("""
                method: grid
                parameters:
                  steps: {values: [100.0, 200]}
                  bayesian_layers: {values: [none, [conv, attn]]}
                  method: {value: lora}
                """);
        assertThat(spec.sweptParameters()).hasSize(3);
    }

    @Test
    void collectsEveryProblemNotJustTheFirst() {
        assertThatThrownBy(() -> SweepParser.parse("""
                method: grid
                program: train.py
                parameters:
                  kl_weight: {values: [-1, 0.5]}
                  prior_std: {value: 0}
                  shots: {value: 4}
                """))
                .isInstanceOfSatisfying(SweepValidationException.class, e -> {
                    assertThat(e.problems()).extracting(SweepProblem::path).containsExactly(
                            "program", "parameters.kl_weight.values[0]", "parameters.prior_std.value",
                            "parameters.shots.value");
                    assertThat(e.getMessage()).contains("\n").startsWith("program: W&B key 'program'");
                });
    }

    @Test
    void problemsFormatAsFilePathMessage() {
        SweepProblem problem = new SweepProblem("parameters.kl_weight.values[2]",
                "-1.0 is out of range: kl_weight must be >= 0");
        assertThat(problem.format("sweeps/kl.yaml"))
                .isEqualTo("sweeps/kl.yaml: parameters.kl_weight.values[2]: -1.0 is out of range: kl_weight must be >= 0");
        assertThatThrownBy(() -> SweepParser.parse("method: grid\nparameters:\n  kl_weight: {values: [0, 1, -1.0]}\n"))
                .isInstanceOfSatisfying(SweepValidationException.class, e -> assertThat(e.problems().get(0).format("f.yaml"))
                        .isEqualTo("f.yaml: parameters.kl_weight.values[2]: -1.0 is out of range: kl_weight must be >= 0"));
    }

    @Test
    void typoSuggestsTheTrainingParameter() {
        assertThatThrownBy(() -> SweepParser.parse("method: grid\nparameters:\n  kl_wieght: {value: 1}\n"))
                .isInstanceOfSatisfying(SweepValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        new SweepProblem("parameters.kl_wieght", "unknown training parameter 'kl_wieght' (did you mean"
                                + " 'kl_weight'?); known: " + String.join(", ", TrainingParameters.names()))));
    }

    @Test
    void malformedYamlNamesLineAndColumn() {
        assertThatThrownBy(() -> SweepParser.parse("method: grid\nparameters:\n  kl_weight: {values: [1, 2}\n"))
                .isInstanceOfSatisfying(SweepValidationException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.problems().get(0).path()).isEqualTo("(document)");
                    assertThat(e.problems().get(0).message()).startsWith("line 3, column ");
                });
    }

    @Test
    void jsonDuplicateKeysAndSyntaxErrorsAreDocumentProblems() {
        assertThatThrownBy(() -> SweepParser.parse("{\"method\": \"grid\", \"method\": \"random\"}"))
                .isInstanceOfSatisfying(SweepValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.path()).isEqualTo("(document)");
                            assertThat(p.message()).startsWith("line 1, column ").contains("duplicate key 'method'");
                        }));
        assertThatThrownBy(() -> SweepParser.parse("{\"method\": \"grid\",\n \"parameters\": }"))
                .isInstanceOfSatisfying(SweepValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).startsWith("line 2, column ")));
    }

    @Test
    void yamlFlowMappingIsNotMistakenForJson() {
        assertThat(parse("{method: grid, parameters: {kl_weight: {value: 1}}}").method()).isEqualTo(SweepMethod.GRID);
    }
}
