package io.bayesweep.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanTest {

    @Test
    void theDefaultPlanIsThreeBaselinesAndThreeBnnRunsPerSubject() {
        List<RunSpec> plan = Plan.defaultPlan(List.of("wink", "blue_heart"), 3e-4);
        assertThat(plan).extracting(RunSpec::name).containsExactly(
                "wink-base-lr1e-4", "wink-base-lr3e-4", "wink-base-lr1e-3",
                "wink-bnn-lr3e-4-kl0-p0.01", "wink-bnn-lr3e-4-kl1-p0.01", "wink-bnn-lr3e-4-kl1-p1e-3",
                "blue_heart-base-lr1e-4", "blue_heart-base-lr3e-4", "blue_heart-base-lr1e-3",
                "blue_heart-bnn-lr3e-4-kl0-p0.01", "blue_heart-bnn-lr3e-4-kl1-p0.01", "blue_heart-bnn-lr3e-4-kl1-p1e-3");
        RunSpec base = plan.get(1);
        assertThat(base.baseline()).isTrue();
        assertThat(base.lr()).isEqualTo(3e-4);
        assertThat(base.shots()).isEqualTo(1);
        assertThat(base.method()).isEqualTo("full");
        assertThat(base.batchSize()).isEqualTo(8);
        assertThat(base.steps()).isEqualTo(2000);
        assertThat(base.evalEvery()).isEqualTo(20);
        assertThat(base.checkpointEvery()).isEqualTo(250);
        RunSpec bnn = plan.get(5);
        assertThat(bnn.bayesianLayers()).containsExactly("attn", "conv");
        assertThat(bnn.initStd()).isEqualTo(1e-3);
        assertThat(bnn.klWeight()).isEqualTo(1.0);
        assertThat(bnn.priorStd()).isEqualTo(1e-3);
        assertThat(bnn.label()).isEqualTo("BNN [attn, conv] lr 3e-4 kl 1 prior 1e-3");
        assertThat(base.toConfig().bayesianLayers()).isEmpty();
        assertThat(Plan.defaultPlan(List.of("wink"), 1e-3).get(3).name()).isEqualTo("wink-bnn-lr1e-3-kl0-p0.01");
    }

    @Test
    void aPlanFileNamesSomeColumnsAndTheRestTakeDefaults() {
        String text = """
                # a comment, then a blank line

                name\tsubject\tlr\tbayesian_layers\tkl_weight\tprior_std\tsteps\teval_every
                a-base\twink\t1e-4\tnone\t-\t-\t40\t10
                b-bnn\tblue_heart\t0.0003\tattn, conv\t1\t0.001\t\t10
                """;
        List<RunSpec> plan = Plan.parse(text, "plan.tsv");
        assertThat(plan).hasSize(2);
        assertThat(plan.get(0).baseline()).isTrue();
        assertThat(plan.get(0).steps()).isEqualTo(40);
        assertThat(plan.get(0).klWeight()).isEqualTo(0.0);
        assertThat(plan.get(1).subject()).isEqualTo("blue_heart");
        assertThat(plan.get(1).bayesianLayers()).containsExactly("attn", "conv");
        assertThat(plan.get(1).steps()).isEqualTo(2000);
        assertThat(plan.get(1).priorStd()).isEqualTo(0.001);
        assertThat(plan.get(1).batchSize()).isEqualTo(8);
        // spaces separate cells when a line has no tab
        assertThat(Plan.parse("name  lr\nx  1e-3\n", "p").get(0).lr()).isEqualTo(1e-3);
    }

    @Test
    void toTsvReadsBackToTheSamePlan() {
        List<RunSpec> plan = Plan.defaultPlan(List.of("wink"), 3e-4);
        assertThat(Plan.parse(Plan.toTsv(plan), "printed")).isEqualTo(plan);
    }

    @Test
    void errorsNameTheLineAndTheColumn() {
        assertThatThrownBy(() -> Plan.parse("name\tlearning_rate\nx\t1\n", "p.tsv"))
                .hasMessageContaining("p.tsv: line 1, column 'learning_rate': unknown column");
        assertThatThrownBy(() -> Plan.parse("subject\nwink\n", "p.tsv")).hasMessageContaining("'name'");
        assertThatThrownBy(() -> Plan.parse("name\tsubject\nx\twinky\n", "p.tsv"))
                .hasMessageContaining("line 2, column 'subject': unknown subject 'winky'");
        assertThatThrownBy(() -> Plan.parse("name\tbayesian_layers\nx\tconv,mlp\n", "p.tsv"))
                .hasMessageContaining("column 'bayesian_layers': unknown layer group 'mlp'");
        assertThatThrownBy(() -> Plan.parse("name\tlr\nx\tfast\n", "p.tsv"))
                .hasMessageContaining("line 2, column 'lr': not a number: 'fast'");
        assertThatThrownBy(() -> Plan.parse("name\tsteps\nx\t0\n", "p.tsv"))
                .hasMessageContaining("column 'steps': must be a positive integer");
        assertThatThrownBy(() -> Plan.parse("name\tlr\nx\t1e-3\t5\n", "p.tsv"))
                .hasMessageContaining("line 2: 3 cells, but the header has 2 columns");
        assertThatThrownBy(() -> Plan.parse("name\nx\nx\n", "p.tsv")).hasMessageContaining("'x' appears twice");
        assertThatThrownBy(() -> Plan.parse("name\n../x\n", "p.tsv")).hasMessageContaining("not a folder name");
        assertThatThrownBy(() -> Plan.parse("name\teval_sampler\nx\teuler\n", "p.tsv"))
                .hasMessageContaining("line 2, column 'eval_sampler': eval sampler must be one of");
        assertThatThrownBy(() -> Plan.parse("# nothing\n", "p.tsv")).hasMessageContaining("empty plan");
        assertThatThrownBy(() -> Plan.parse("name\n", "p.tsv")).hasMessageContaining("lists no run");
    }

    @Test
    void theEvalSamplerIsAColumnAndPartOfTheRunsIdentity() {
        List<RunSpec> plan = Plan.parse("name\teval_sampler\nd\t-\na\tancestral:250\n", "p.tsv");
        assertThat(plan.get(0).evalSampler()).isEqualTo(io.bayesweep.model.EvalSampling.DEFAULT);
        assertThat(plan.get(1).evalSampler()).isEqualTo(new io.bayesweep.model.EvalSampling("ancestral", 250));
        assertThat(plan.get(1).label()).isEqualTo("baseline lr 3e-4, ancestral:250 evals");
        assertThat(Plan.parse(Plan.toTsv(plan), "printed")).isEqualTo(plan);
        // one metrics file holds one kind of samples
        assertThat(plan.get(0).sameTrajectory(plan.get(1))).isFalse();
    }

    @Test
    void theEarlyEvalScheduleIsTwoColumns() {
        List<RunSpec> plan = Plan.parse("name\tsteps\teval_every\tearly_eval_every\tearly_eval_until\nx\t100\t20\t2\t40\n",
                "p.tsv");
        assertThat(plan.get(0).toConfig().evaluatesAt(4)).isTrue();
        assertThat(plan.get(0).toConfig().evaluatesAt(42)).isFalse();
        assertThat(Plan.parse(Plan.toTsv(plan), "printed")).isEqualTo(plan);
        assertThatThrownBy(() -> Plan.parse("name\tearly_eval_every\nx\t-2\n", "p.tsv"))
                .hasMessageContaining("line 2, column 'early_eval_every': must be >= 0");
    }

    @Test
    void numbersAreWrittenShort() {
        assertThat(RunSpec.num(3e-4)).isEqualTo("3e-4");
        assertThat(RunSpec.num(1e-3)).isEqualTo("1e-3");
        assertThat(RunSpec.num(2.5e-4)).isEqualTo("2.5e-4");
        assertThat(RunSpec.num(0.01)).isEqualTo("0.01");
        assertThat(RunSpec.num(0.5)).isEqualTo("0.5");
        assertThat(RunSpec.num(1)).isEqualTo("1");
        assertThat(RunSpec.num(0)).isEqualTo("0");
    }
}
