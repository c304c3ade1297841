package io.bayesweep.model;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvalScheduleTest {
    @Test
    void evaluatesEveryNStepsTheEarlyScheduleAndTheLastStep() {
        EvalSchedule schedule = new EvalSchedule(20, 2, 6, EvalSampling.DEFAULT);

        assertThat(LongStream.rangeClosed(1, 50).filter(k -> schedule.evaluatesAt(k, 50)).boxed())
                .containsExactly(2L, 4L, 6L, 20L, 40L, 50L);
        assertThat(LongStream.rangeClosed(1, 50).filter(k -> EvalSchedule.every(20).evaluatesAt(k, 50)).boxed())
                .containsExactly(20L, 40L, 50L);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> new EvalSchedule(0, 0, 0, EvalSampling.DEFAULT)).hasMessageContaining("eval_every");
        assertThatThrownBy(() -> new EvalSchedule(10, -1, 0, EvalSampling.DEFAULT))
                .hasMessageContaining("early_eval_every");
        assertThatThrownBy(() -> new EvalSchedule(10, 0, 0, null)).hasMessageContaining("sampling");
    }
}
