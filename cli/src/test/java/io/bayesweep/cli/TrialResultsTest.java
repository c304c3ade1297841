package io.bayesweep.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrialResultsTest {
    static TrialView trial(String id, int index, String state) {
        return new TrialView(id, "s", index, Map.of("kl_weight", 0.1), state, 1, 10L, 10L, null, null,
                Map.of(), null, null, null, null);
    }

    @Test
    void theDemoSucceedsOnlyIfEveryTrialCompleted() {
        assertThat(new TrialResults(List.of(trial("a", 0, "COMPLETED"), trial("b", 1, "COMPLETED"))).allCompleted())
                .isTrue();
        assertThat(new TrialResults(List.of(trial("a", 0, "COMPLETED"), trial("b", 1, "STOPPED_EARLY"))).allCompleted())
                .isFalse();
        assertThat(new TrialResults(List.of()).allCompleted()).isFalse();
    }

    @Test
    void csvQuotesCellsWithCommasAndWritesListsAsJson() {
        TrialView trial = new TrialView("a,1", "s", 0, Map.of("bayesian_layers", List.of("conv", "attn")),
                "COMPLETED", 1, 10L, 10L, null, null, Map.of("loss", 0.5), null, null, null, null);

        assertThat(new TrialResults(List.of(trial)).csv()).containsExactly(
                "trial_id,bayesian_layers,state,stage,windows,loss",
                "\"a,1\",\"[\"\"conv\"\",\"\"attn\"\"]\",COMPLETED,,,0.5");
    }

    @Test
    void theDetectorsStateAndWindowCountAreColumns() {
        var window = new TrialView.Window(210L, 270L, 0.264, 60L);
        var open = new TrialView.Window(510L, null, 0.3238, 30L);
        TrialView recovered = new TrialView("a", "s", 0, Map.of("kl_weight", 0.0), "COMPLETED", 1, 800L, 800L, null, null,
                Map.of("loss", 0.5), null, null, null, new TrialView.Detection("v1", "RECOVERING", List.of(window), 80, 800L));
        TrialView corrupted = new TrialView("b", "s", 1, Map.of("kl_weight", 0.5), "RUNNING", 1, 540L, 800L, "w1", null,
                Map.of("loss", 0.4), null, null, null,
                new TrialView.Detection("v1", "CORRUPTED", List.of(window, open), 54, 540L));
        TrialView noPoints = trial("c", 2, "PENDING");

        TrialResults results = new TrialResults(List.of(recovered, corrupted, noPoints));

        assertThat(results.csv()).containsExactly(
                "trial_id,kl_weight,state,stage,windows,loss",
                "a,0.0,COMPLETED,RECOVERING,1,0.5",
                "b,0.5,RUNNING,CORRUPTED,2,0.4",
                "c,0.1,PENDING,,,");
        java.io.StringWriter table = new java.io.StringWriter();
        results.print(TrialResults.Format.table, new java.io.PrintWriter(table));
        assertThat(table.toString().lines().toList()).containsExactly(
                "TRIAL  kl_weight  STATE      STAGE       WINDOWS  loss",
                "a              0  COMPLETED  RECOVERING        1   0.5",
                "b            0.5  RUNNING    CORRUPTED         2   0.4",
                "c            0.1  PENDING    -                 -     -");
    }
}
