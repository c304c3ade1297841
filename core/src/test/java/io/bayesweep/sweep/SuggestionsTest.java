package io.bayesweep.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {
    private static String closest(String typed, List<String> known) {
        return Suggestions.closest(typed, known).orElse(null);
    }

    @Test
    void typosWithinTwoEdits() {
        assertThat(closest("kl_wieght", TrainingParameters.names())).isEqualTo("kl_weight");
        assertThat(closest("gird", List.of("grid", "random"))).isEqualTo("grid");
        assertThat(closest("sunflwer", TrainingParameters.SUBJECTS)).isEqualTo("sunflower");
    }

    @Test
    void shortNamesGetOneEdit() {
        assertThat(closest("boy", TrainingParameters.SUBJECTS)).isEqualTo("joy");
        assertThat(closest("cat", TrainingParameters.SUBJECTS)).isNull(); // two edits from cry: not a typo of it
        assertThat(closest("fox", TrainingParameters.SUBJECTS)).isNull(); // nor of dog
    }

    @Test
    void unambiguousAbbreviations() {
        assertThat(closest("thinking", TrainingParameters.SUBJECTS)).isEqualTo("thinking_face");
        assertThat(closest("star", TrainingParameters.SUBJECTS)).isEqualTo("star-struck");
        assertThat(closest("heart", TrainingParameters.SUBJECTS)).isNull(); // heart_eyes or heart_eyes_cat
    }

    @Test
    void theOldProceduralSubjectsPointToTheirRealEmoji() {
        assertThat(closest("wink_face", TrainingParameters.SUBJECTS)).isEqualTo("wink");
        assertThat(closest("sleepy_face", TrainingParameters.SUBJECTS)).isEqualTo("sleeping");
        assertThat(closest("sleepy", TrainingParameters.SUBJECTS)).isEqualTo("sleeping");
        assertThat(closest("green_star", TrainingParameters.SUBJECTS)).isNull();
    }

    @Test
    void aSharedStartMustBeLongAndUnique() {
        assertThat(closest("prior", TrainingParameters.names())).isNull(); // prior_std or prior_preservation
        assertThat(closest("see_no_hear", TrainingParameters.SUBJECTS)).isEqualTo("see_no_evil");
    }
}
