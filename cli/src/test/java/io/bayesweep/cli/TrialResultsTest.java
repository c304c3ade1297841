package io.bayesweep.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrialResultsTest {
    static TrialView trial(String id, int index, String state) {
        return new TrialView(id, "s", index, Map.of("kl_weight", 0.1), state, 1, 10L, 10L, null, null,
                Map.of(), null, null, null);
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
                "COMPLETED", 1, 10L, 10L, null, null, Map.of("loss", 0.5), null, null, null);

        assertThat(new TrialResults(List.of(trial)).csv()).containsExactly(
                "trial_id,bayesian_layers,state,loss",
                "\"a,1\",\"[\"\"conv\"\",\"\"attn\"\"]\",COMPLETED,0.5");
    }
}
